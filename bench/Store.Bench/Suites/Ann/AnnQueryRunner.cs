using System.Diagnostics;
using Store.Bench.Measurement;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// One pass of a query set over a subject at one setting: the queries split in contiguous slices over
/// <c>threads</c> dedicated threads (the harness's <see cref="PhaseRunner"/>), each with its own
/// searcher and buffers, every query timed. Throughput is queries over the span from the first thread's
/// start to the last one's end; the ids come back for recall.
/// </summary>
internal static class AnnQueryRunner
{
    /// <summary>Runs the pass, writing each query's ids into <paramref name="ids"/> (queries x k, allocated by the caller before memory is measured).</summary>
    public static PhaseMeasurement Run(IAnnSubject subject, AnnSetting setting, IReadOnlyList<float[]> queries, int k, int threads, long[] ids)
    {
        Array.Fill(ids, -1L);
        var measurement = PhaseRunner.Run(threads, null, (worker, state, _) =>
        {
            int start = (int)((long)queries.Count * worker / threads);
            int end = (int)((long)queries.Count * (worker + 1) / threads);
            var searcher = subject.CreateSearcher();
            var buffer = new long[k];
            ref var latency = ref state.Latency;
            long previous = Stopwatch.GetTimestamp();
            state.StartTicks = previous;
            for (int q = start; q < end; q++)
            {
                int found = searcher.Search(queries[q], k, setting, buffer);
                long now = Stopwatch.GetTimestamp();
                latency.Record(now - previous);
                previous = now;
                buffer.AsSpan(0, Math.Min(found, k)).CopyTo(ids.AsSpan(q * k, k));
                if (found < k)
                {
                    state.Checksum += k - found;
                }
            }

            state.EndTicks = previous;
            state.Operations = end - start;
        });
        return measurement;
    }
}
