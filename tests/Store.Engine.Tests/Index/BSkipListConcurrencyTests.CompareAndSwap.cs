using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

public sealed partial class BSkipListConcurrencyTests
{
    private const int CounterThreadCount = 3;
    private static readonly int[] CounterKeys = [2001, 2003, 2005];

    /// <summary>
    /// Threads increment counters by read + TryUpdate(v + 1, v) while a churn thread inserts and removes
    /// the keys around them (so their nodes split and shrink). Each counter ends equal to the number of
    /// successful TryUpdate calls on it: no increment lost, none applied twice.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void TryUpdateIsAnAtomicCompareAndSwap(int nodeCapacity)
    {
        int seed = TestMode.Seed(4_000 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        foreach (int n in CounterKeys)
        {
            Assert.True(list.TryAdd(StressKeys.Key(n), 0));
        }

        var successes = new long[CounterThreadCount][];
        var workers = new List<StressWorker>();
        for (int t = 0; t < CounterThreadCount; t++)
        {
            int threadSeed = seed * 31 + t;
            long[] mine = successes[t] = new long[CounterKeys.Length];
            workers.Add(new StressWorker(
                $"incrementer {t} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunIncrementer(list, mine, new Random(threadSeed), clock)));
        }

        var churnModel = new Dictionary<int, long>();
        int churnSeed = seed * 31 + 100;
        workers.Add(new StressWorker(
            $"neighbour churn (seed {churnSeed}, nodeCapacity {nodeCapacity})",
            clock => RunCounterNeighbourChurn(list, churnModel, new Random(churnSeed), clock)));

        StressHarness.Run(TestMode.StressDuration(2), [.. workers]);

        for (int c = 0; c < CounterKeys.Length; c++)
        {
            long expected = successes.Sum(perThread => perThread[c]);
            Assert.True(expected > 0, $"counter {CounterKeys[c]} was never incremented");
            Assert.True(list.TryGetValue(StressKeys.Key(CounterKeys[c]), out long final));
            Assert.Equal(expected, final);
        }

        Assert.Equal(CounterKeys.Length + churnModel.Count, list.Count);
    }

    private static long RunIncrementer(BSkipList list, long[] successes, Random rng, StressClock clock)
    {
        long operations = 0;
        while (clock.Running)
        {
            int c = rng.Next(CounterKeys.Length);
            byte[] key = StressKeys.Key(CounterKeys[c]);
            if (!list.TryGetValue(key, out long current))
            {
                throw new XunitException($"counter {CounterKeys[c]} vanished");
            }

            if (list.TryUpdate(key, current + 1, current))
            {
                successes[c]++;
            }

            operations++;
        }

        return operations;
    }

    private static long RunCounterNeighbourChurn(BSkipList list, Dictionary<int, long> model, Random rng, StressClock clock)
    {
        long operations = 0;
        while (clock.Running)
        {
            int n = 1900 + rng.Next(200);
            if (Array.IndexOf(CounterKeys, n) >= 0)
            {
                continue;
            }

            byte[] key = StressKeys.Key(n);
            bool present = model.ContainsKey(n);
            if (rng.Next(2) == 0)
            {
                if (list.TryAdd(key, n) == present)
                {
                    throw new XunitException($"TryAdd({n}) disagrees with the churn model (present={present})");
                }

                model[n] = n;
            }
            else
            {
                if (list.TryRemove(key, out long old) != present || (present && old != n))
                {
                    throw new XunitException($"TryRemove({n}) disagrees with the churn model (present={present})");
                }

                model.Remove(n);
            }

            operations++;
        }

        return operations;
    }
}
