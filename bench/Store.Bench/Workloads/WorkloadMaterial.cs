namespace Store.Bench.Workloads;

/// <summary>
/// Everything the timed runs read, generated up front: per key size the N loaded keys and (when a
/// workload inserts new keys) N fresh keys, and the per-thread operation streams. The workers of a
/// run get the streams, a per-run starting offset and disjoint slices of the fresh keys.
/// </summary>
internal sealed class WorkloadMaterial
{
    public const int StreamLength = 1 << 19;

    private readonly Dictionary<int, KeySet> _keys = [];
    private readonly Dictionary<int, KeySet> _freshKeys = [];
    private readonly OperationStreams _streams;

    public WorkloadMaterial(int keyCount, int maxThreads, IEnumerable<(Workload Workload, KeyDistribution Distribution, int KeyBytes)> uses)
    {
        _streams = new OperationStreams(keyCount, maxThreads, StreamLength);
        foreach (var (workload, distribution, keyBytes) in uses)
        {
            if (!_keys.ContainsKey(keyBytes))
            {
                _keys[keyBytes] = KeySet.Generate(keyBytes, 0, keyCount);
            }

            if (workload.InsertsFreshKeys && !_freshKeys.ContainsKey(keyBytes))
            {
                _freshKeys[keyBytes] = KeySet.Generate(keyBytes, keyCount, keyCount);
            }

            if (!workload.IsLoad)
            {
                _streams.For(workload, distribution, 0);
            }
        }
    }

    public IEnumerable<int> KeySizes => _keys.Keys.Order();

    public KeySet Keys(int keyBytes) => _keys[keyBytes];

    /// <summary>Inputs of the <paramref name="threads"/> workers of run number <paramref name="run"/>.</summary>
    public WorkerInput[] Workers(Workload workload, KeyDistribution distribution, int keyBytes, int threads, int run)
    {
        var fresh = workload.InsertsFreshKeys ? _freshKeys[keyBytes] : null;
        int slice = fresh is null ? 0 : fresh.Count / threads;
        var workers = new WorkerInput[threads];
        for (int i = 0; i < threads; i++)
        {
            workers[i] = new WorkerInput(
                _streams.For(workload, distribution, i),
                offset: run * (StreamLength / 8),
                _keys[keyBytes],
                fresh,
                freshStart: i * slice,
                freshCount: slice,
                valueBase: (long)(i + 1) << 40);
        }

        return workers;
    }

    /// <summary>Removes the fresh keys the workers inserted, so the structure holds the loaded keys again.</summary>
    public static void RemoveInserted(IIndexDriver driver, IReadOnlyList<WorkerInput> workers)
    {
        foreach (var worker in workers)
        {
            for (int k = 0; k < worker.FreshUsed; k++)
            {
                driver.Index.Remove(worker.Fresh![worker.FreshStart + k], out _);
            }
        }
    }
}
