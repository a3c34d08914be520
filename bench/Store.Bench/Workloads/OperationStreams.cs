namespace Store.Bench.Workloads;

/// <summary>
/// Pre-generated per-thread operation streams, built before any timing (seeded, so every structure
/// replays the same operations) and shared by all peers. A stream has a power-of-two length and is
/// replayed cyclically; thread i of any run uses stream i of its (workload, distribution).
/// </summary>
internal sealed class OperationStreams(int keyCount, int maxThreads, int streamLength)
{
    private readonly Dictionary<(Workload, KeyDistribution), Operation[][]> _streams = [];
    private readonly Dictionary<KeyDistribution, KeyChooser> _choosers = [];

    public int StreamLength { get; } = int.IsPow2(streamLength) ? streamLength : throw new ArgumentException("length must be a power of two", nameof(streamLength));

    public Operation[] For(Workload workload, KeyDistribution distribution, int thread)
    {
        if (!_streams.TryGetValue((workload, distribution), out var streams))
        {
            if (!_choosers.TryGetValue(distribution, out var chooser))
            {
                chooser = _choosers[distribution] = KeyChooser.Create(distribution, keyCount, seed: 7919);
            }

            streams = new Operation[maxThreads][];
            Parallel.For(0, maxThreads, i => streams[i] = Generate(workload, chooser, Seed(workload, distribution, i)));
            _streams[(workload, distribution)] = streams;
        }

        return streams[thread];
    }

    private static int Seed(Workload workload, KeyDistribution distribution, int thread)
    {
        int workloadIndex = Workload.All.ToList().IndexOf(workload);
        return (workloadIndex * 1_000_003) + ((int)distribution * 7_919) + (thread * 31) + 17;
    }

    private Operation[] Generate(Workload workload, KeyChooser chooser, int seed)
    {
        var random = new Random(seed);
        var stream = new Operation[StreamLength];
        for (int i = 0; i < stream.Length; i++)
        {
            double draw = random.NextDouble();
            int key = chooser.Next(random);
            stream[i] = draw < workload.Read ? new Operation(OperationKind.Read, 0, key)
                : draw < workload.Read + workload.Update ? new Operation(OperationKind.Update, 0, key)
                : draw < workload.Read + workload.Update + workload.Scan
                    ? new Operation(OperationKind.Scan, (ushort)random.Next(1, Workload.MaxScanLength + 1), key)
                    : new Operation(OperationKind.Insert, 0, key);
        }

        return stream;
    }
}
