using System.Diagnostics;
using Store.Bench.Measurement;

namespace Store.Bench.Suites.Server;

/// <summary>Throughput and latency of one (operation, depth) run.</summary>
/// <param name="OpsPerSecond">Requests completed per second over the run.</param>
/// <param name="P50Us">50th percentile latency, microseconds.</param>
/// <param name="P99Us">99th percentile latency, microseconds.</param>
/// <param name="P999Us">99.9th percentile latency, microseconds.</param>
internal sealed record LoadResult(double OpsPerSecond, double P50Us, double P99Us, double P999Us);

/// <summary>
/// redis-benchmark's shape over the real <see cref="Client.StoreClient"/>: <c>clients</c> concurrent callers
/// on random keys of the loaded set; each caller sends <c>depth</c> requests, awaits them all, repeats
/// (so at depth 1 it awaits each request). A request's latency runs from its batch's start to the
/// moment its own reply is seen, as redis-benchmark counts it. Like redis-benchmark's <c>__rand_int__</c>,
/// each key is written into a buffer of its pipeline slot (<c>key:</c> and 12 random digits), reused
/// once that slot's previous request has completed; no table of prebuilt keys to miss the cache on.
/// </summary>
internal static class StoreLoadGenerator
{
    public static async Task<LoadResult> RunAsync(IKeyspaceStore keyspace, int keyCount, byte[] value, bool set, int requests, int clients, int depth, int seed)
    {
        var histograms = new LatencyHistogram[clients];
        int perClient = requests / clients;
        long start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(() => CallerAsync(c))));
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        for (int i = 1; i < clients; i++)
        {
            histograms[0].Add(ref histograms[i]);
        }

        return new LoadResult(
            perClient * (double)clients / seconds,
            histograms[0].QuantileMicroseconds(0.50),
            histograms[0].QuantileMicroseconds(0.99),
            histograms[0].QuantileMicroseconds(0.999));

        async Task CallerAsync(int caller)
        {
            var random = new Random(seed + caller);
            byte[][] slotKeys = [.. Enumerable.Range(0, depth).Select(_ => ServerKeys.Bytes(0))];
            var sets = new ValueTask<Store.Kv.WriteResult>[depth];
            var gets = new ValueTask<StoredValue?>[depth];
            for (int done = 0; done < perClient; done += depth)
            {
                int batch = Math.Min(depth, perClient - done);
                long batchStart = Stopwatch.GetTimestamp();
                for (int i = 0; i < batch; i++)
                {
                    byte[] key = slotKeys[i];
                    ServerKeys.Write(random.Next(keyCount), key);
                    if (set)
                    {
                        sets[i] = keyspace.SetAsync(key, value);
                    }
                    else
                    {
                        gets[i] = keyspace.GetAsync(key);
                    }
                }

                for (int i = 0; i < batch; i++)
                {
                    if (set)
                    {
                        await sets[i];
                    }
                    else if (await gets[i] is null)
                    {
                        throw new InvalidOperationException("a GET of a loaded key found nothing");
                    }

                    histograms[caller].Record(Stopwatch.GetTimestamp() - batchStart);
                }
            }
        }
    }
}
