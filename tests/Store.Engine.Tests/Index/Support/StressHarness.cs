using System.Collections.Concurrent;
using Xunit.Sdk;

namespace Store.Tests.Index;

/// <summary>A worker of a stress run: loops while <see cref="StressClock.Running"/> and returns its operation count.</summary>
internal sealed record StressWorker(string Name, Func<StressClock, long> Body);

/// <summary>
/// Runs workers on dedicated threads released together by a <see cref="Barrier"/>, for a fixed
/// duration. The first failure stops everyone; failures are reported with the worker name (which
/// carries its seed). A worker that does not stop within a grace period is reported as a deadlock
/// or livelock. Every worker must make progress.
/// </summary>
internal static class StressHarness
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    public static void Run(TimeSpan duration, params StressWorker[] workers)
    {
        var clock = new StressClock(duration);
        var failures = new ConcurrentQueue<string>();
        var operations = new long[workers.Length];
        var barrier = new Barrier(workers.Length, _ => clock.Start());
        var threads = new Thread[workers.Length];
        for (int i = 0; i < workers.Length; i++)
        {
            int index = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    barrier.SignalAndWait();
                    operations[index] = workers[index].Body(clock);
                }
                catch (Exception e)
                {
                    failures.Enqueue($"{workers[index].Name}: {e}");
                    clock.Abort();
                }
            })
            {
                IsBackground = true,
                Name = workers[i].Name,
            };
        }

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        DateTime deadline = DateTime.UtcNow + duration + Grace;
        var hung = new List<string>();
        foreach (Thread thread in threads)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                hung.Add(thread.Name ?? "?");
            }
        }

        if (hung.Count > 0)
        {
            clock.Abort();
            throw new XunitException(
                $"workers did not stop {Grace.TotalSeconds}s after the {duration.TotalSeconds}s run (deadlock or livelock): " +
                string.Join(", ", hung) + (failures.IsEmpty ? "" : "\nfailures:\n" + string.Join("\n", failures)));
        }

        barrier.Dispose();
        if (!failures.IsEmpty)
        {
            throw new XunitException(string.Join("\n\n", failures));
        }

        for (int i = 0; i < workers.Length; i++)
        {
            if (operations[i] <= 0)
            {
                throw new XunitException($"{workers[i].Name} made no progress in {duration.TotalSeconds}s");
            }
        }
    }
}
