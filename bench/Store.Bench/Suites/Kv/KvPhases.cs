using System.Diagnostics;
using Store.Bench.Measurement;

namespace Store.Bench.Suites.Kv;

/// <summary>
/// The timed workloads of the kv suite, as db_bench names them. Each thread takes its own worker,
/// then starts its clock; every operation is timed from the end of the previous one (one clock read
/// per operation, the same for every engine); the stop flag is polled every 64 operations.
/// </summary>
internal static class KvPhases
{
    /// <summary>Entries read by one seek: the one found and 10 nexts.</summary>
    public const int SeekEntries = 11;

    private const int StopCheckInterval = 64;

    /// <summary>fillrandom: every key once, in the data's (random) order, ordinals split in contiguous slices over the threads.</summary>
    public static PhaseMeasurement Fill(IKvEngine engine, KvData data, int threads, Action<string>? progress) =>
        PhaseRunner.Run(threads, null, (worker, state, _) =>
        {
            int start = (int)((long)data.Count * worker / threads);
            int end = (int)((long)data.Count * (worker + 1) / threads);
            int reportEvery = progress is not null && worker == 0 ? Math.Max(1, (end - start) / 10) : int.MaxValue;
            using var kv = engine.CreateWorker();
            ref var latency = ref state.Latency;
            long previous = Stopwatch.GetTimestamp();
            state.StartTicks = previous;
            for (int i = start; i < end; i++)
            {
                kv.Put(data.Key(i), data.Value(i, 0));
                long now = Stopwatch.GetTimestamp();
                latency.Record(now - previous);
                previous = now;
                if ((i - start + 1) % reportEvery == 0)
                {
                    progress!($"  fill: thread 0 at {(i - start + 1) * 100L / (end - start)}%");
                }
            }

            state.EndTicks = previous;
            state.Operations = end - start;
        });

    /// <summary>readrandom: uniform random existing keys for <paramref name="duration"/>; a miss is an anomaly.</summary>
    public static PhaseMeasurement ReadRandom(IKvEngine engine, KvData data, int threads, TimeSpan duration, ulong seed) =>
        PhaseRunner.Run(threads, duration, (worker, state, stop) => Read(engine, data, state, stop, seed + (ulong)worker));

    /// <summary>
    /// readwhilewriting: <paramref name="threads"/> readers as in readrandom plus one writer overwriting
    /// random existing keys with new values as fast as it can (db_bench's shape). The measurement is
    /// the readers'; the writer's operation count comes back separately.
    /// </summary>
    public static (PhaseMeasurement Readers, long Writes) ReadWhileWriting(IKvEngine engine, KvData data, int threads, TimeSpan duration, ulong seed)
    {
        long writes = 0;
        var readers = PhaseRunner.Run(threads + 1, duration, (worker, state, stop) =>
        {
            if (worker < threads)
            {
                Read(engine, data, state, stop, seed + (ulong)worker);
            }
            else
            {
                writes = Write(engine, data, state, stop, seed + (ulong)worker);
            }
        });
        return (readers, writes);
    }

    /// <summary>seekrandom: seek to a random existing key and read it and the next 10 entries; an empty seek is an anomaly.</summary>
    public static PhaseMeasurement SeekRandom(IKvEngine engine, KvData data, int threads, TimeSpan duration, ulong seed) =>
        PhaseRunner.Run(threads, duration, (worker, state, stop) =>
        {
            using var kv = engine.CreateWorker();
            var random = new KvRandom(seed + (ulong)worker);
            long checksum = 0;
            long anomalies = 0;
            long count = 0;
            ref var latency = ref state.Latency;
            long previous = Stopwatch.GetTimestamp();
            state.StartTicks = previous;
            while (!stop.IsSet)
            {
                for (int i = 0; i < StopCheckInterval; i++)
                {
                    if (kv.SeekAndRead(data.Key(random.NextBelow(data.Count)), SeekEntries, ref checksum) == 0)
                    {
                        anomalies++;
                    }

                    long now = Stopwatch.GetTimestamp();
                    latency.Record(now - previous);
                    previous = now;
                }

                count += StopCheckInterval;
            }

            Finish(state, previous, count, checksum, anomalies);
        });

    private static void Read(IKvEngine engine, KvData data, WorkerState state, StopSignal stop, ulong seed)
    {
        using var kv = engine.CreateWorker();
        var random = new KvRandom(seed);
        long checksum = 0;
        long anomalies = 0;
        long count = 0;
        ref var latency = ref state.Latency;
        long previous = Stopwatch.GetTimestamp();
        state.StartTicks = previous;
        while (!stop.IsSet)
        {
            for (int i = 0; i < StopCheckInterval; i++)
            {
                if (kv.TryGet(data.Key(random.NextBelow(data.Count)), out var value) && value.Length == KvData.ValueBytes)
                {
                    checksum += value[0];
                }
                else
                {
                    anomalies++;
                }

                long now = Stopwatch.GetTimestamp();
                latency.Record(now - previous);
                previous = now;
            }

            count += StopCheckInterval;
        }

        Finish(state, previous, count, checksum, anomalies);
    }

    /// <summary>The writer of readwhilewriting: its operations are not counted in the state (the readers' measurement).</summary>
    private static long Write(IKvEngine engine, KvData data, WorkerState state, StopSignal stop, ulong seed)
    {
        using var kv = engine.CreateWorker();
        var random = new KvRandom(seed);
        long count = 0;
        state.StartTicks = Stopwatch.GetTimestamp();
        while (!stop.IsSet)
        {
            for (int i = 0; i < StopCheckInterval; i++)
            {
                int ordinal = random.NextBelow(data.Count);
                kv.Put(data.Key(ordinal), data.Value(ordinal, ++count));
            }
        }

        state.EndTicks = Stopwatch.GetTimestamp();
        return count;
    }

    private static void Finish(WorkerState state, long end, long count, long checksum, long anomalies)
    {
        state.EndTicks = end;
        state.Operations = count;
        state.Checksum = checksum;
        state.Anomalies = anomalies;
    }
}
