using System.Diagnostics;
using System.Globalization;
using Store.Bench.Peers;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// <c>--selfcheck</c>: each selected peer against a model. Single-threaded random operations over
/// short keys with tricky bytes (prefixes, 0x00, 0x7F/0x80, 0xFF) compared with a sorted model after
/// every step; then multi-threaded runs whose outcome is known exactly (threads owning disjoint keys;
/// all threads racing on the same keys), checked at the end against the union of what the threads did.
/// The classic skiplist's levels are also checked for structure when quiescent.
/// </summary>
internal static partial class SelfCheck
{
    public static int Run(IReadOnlyList<PeerDescriptor> peers, TextWriter output)
    {
        int threads = Math.Max(4, Environment.ProcessorCount);
        int failures = 0;
        foreach (var peer in peers)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                Sequential(peer);
                OwnedKeys(peer, threads);
                SharedKeys(peer, threads);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"selfcheck {peer.Name}: ok (model, {threads} threads owned keys, {threads} threads shared keys; {clock.Elapsed.TotalSeconds:0.0} s)"));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures++;
                var cause = e is AggregateException { InnerExceptions.Count: > 0 } many ? many.InnerExceptions[0] : e;
                output.WriteLine($"selfcheck {peer.Name}: FAILED: {cause.GetType().Name}: {cause.Message}");
                if (e is TimeoutException)
                {
                    output.WriteLine("selfcheck: stuck threads keep running; stopping here");
                    return 1;
                }
            }
        }

        return failures == 0 ? 0 : 1;
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }

    private static void ValidateStructure(IOrderedIndex index)
    {
        if (index is ClassicSkipListIndex classic)
        {
            classic.List.ValidateQuiescent();
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> on dedicated background threads released together; rethrows their
    /// failures, and gives up on threads still running after <see cref="ThreadTimeout"/> (a livelock or deadlock).
    /// </summary>
    private static void RunThreads(int count, Action<int> body)
    {
        var failures = new Exception?[count];
        using var barrier = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            try
            {
                body(t);
            }
            catch (Exception e)
            {
                failures[t] = e;
            }
        })
        { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        var deadline = DateTime.UtcNow + ThreadTimeout;
        foreach (var thread in threads)
        {
            if (!thread.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero)))
            {
                throw new TimeoutException($"threads still running after {ThreadTimeout.TotalSeconds} s: livelock or deadlock");
            }
        }

        var thrown = failures.Where(f => f is not null).Select(f => f!).ToArray();
        if (thrown.Length > 0)
        {
            throw new AggregateException(thrown);
        }
    }

    /// <summary>The scan fold over model entries, in key order, starting at <paramref name="from"/>.</summary>
    private static (int Visited, long Checksum) ModelScan(IEnumerable<KeyValuePair<byte[], long>> ordered, ReadOnlySpan<byte> from, int maxCount)
    {
        int visited = 0;
        long checksum = 0;
        foreach (var (key, value) in ordered)
        {
            if (visited == maxCount)
            {
                break;
            }

            if (key.AsSpan().SequenceCompareTo(from) >= 0)
            {
                checksum = ScanChecksum.Fold(checksum, key.Length, value);
                visited++;
            }
        }

        return (visited, checksum);
    }

    private static TimeSpan ThreadTimeout { get; } = TimeSpan.FromSeconds(60);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static IComparer<byte[]> Lexicographic { get; } = Comparer<byte[]>.Create((a, b) => a.AsSpan().SequenceCompareTo(b));
}
