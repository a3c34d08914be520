using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

public sealed partial class BSkipListConcurrencyTests
{
    private const int ChurnWriterCount = 2;
    private const int ChurnScannerCount = 2;
    private const int ChurnKeySpace = 6_000;

    /// <summary>
    /// Stable keys (n mod 4 == 0) are inserted first and never touched; churn keys between them are
    /// inserted and removed by writers. Scanners open cursors and Scans over random ranges meanwhile:
    /// every returned key lies in [from, to), keys strictly increase, every stable key of the range is
    /// returned with its value, and every other key is a churn key with a value written for it.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void CursorsAndScansSeeEveryStableKeyInOrderUnderChurn(int nodeCapacity)
    {
        int seed = TestMode.Seed(2_000 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        var stable = new List<byte[]>();
        for (int n = 0; n < ChurnKeySpace; n += 4)
        {
            byte[] key = StressKeys.Key(n);
            Assert.True(list.TryAdd(key, StableValue(n)));
            stable.Add(key);
        }

        byte[][] sortedStable = [.. stable];
        var models = new Dictionary<int, long>[ChurnWriterCount];
        var workers = new List<StressWorker>();
        for (int w = 0; w < ChurnWriterCount; w++)
        {
            int owner = w;
            int threadSeed = seed * 31 + w;
            var model = models[w] = [];
            workers.Add(new StressWorker(
                $"churn writer {w} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunChurnWriter(list, model, owner, new Random(threadSeed), clock)));
        }

        long churnKeysSeen = 0;
        for (int s = 0; s < ChurnScannerCount; s++)
        {
            int threadSeed = seed * 31 + 100 + s;
            workers.Add(new StressWorker(
                $"scanner {s} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock =>
                {
                    long seen = 0;
                    long scans = RunStableKeyScanner(list, sortedStable, new Random(threadSeed), clock, ref seen);
                    Interlocked.Add(ref churnKeysSeen, seen);
                    return scans;
                }));
        }

        StressHarness.Run(TestMode.StressDuration(3), [.. workers]);

        Assert.True(churnKeysSeen > 0, "scanners never saw a churn key: the writers did not overlap the scans");
        var expected = new List<Entry>();
        for (int n = 0; n < ChurnKeySpace; n++)
        {
            if (n % 4 == 0)
            {
                expected.Add(new Entry(StressKeys.Key(n), StableValue(n)));
            }
            else if (models[ChurnOwner(n)].TryGetValue(n, out long value))
            {
                expected.Add(new Entry(StressKeys.Key(n), value));
            }
        }

        EntryAssert.Equal(expected, ListReader.ScanAll(list), "final contents vs stable keys plus writer models");
        Assert.Equal(expected.Count, list.Count);
    }

    private static long StableValue(int n) => StressKeys.Value(n, StressKeys.Generation(ChurnWriterCount, 0));

    private static int ChurnOwner(int n) => (n >> 2) % ChurnWriterCount;

    private static long RunChurnWriter(BSkipList list, Dictionary<int, long> model, int owner, Random rng, StressClock clock)
    {
        long operations = 0;
        uint sequence = 0;
        while (clock.Running)
        {
            bool growing = operations / 3000 % 2 == 0;
            int n;
            do
            {
                n = rng.Next(ChurnKeySpace);
            }
            while (n % 4 == 0 || ChurnOwner(n) != owner);

            byte[] key = StressKeys.Key(n);
            long value = StressKeys.Value(n, StressKeys.Generation(owner, ++sequence));
            bool present = model.TryGetValue(n, out long current);
            int roll = rng.Next(100);
            if (roll < (growing ? 50 : 15))
            {
                if (list.TryAdd(key, value) == present)
                {
                    throw new XunitException($"TryAdd({n}) disagrees with the owner's model (present={present})");
                }

                model.TryAdd(n, value);
            }
            else if (roll < (growing ? 75 : 30))
            {
                if (list.Upsert(key, value, out long previous) != present || (present && previous != current))
                {
                    throw new XunitException($"Upsert({n}) disagrees with the owner's model (present={present}, value={current})");
                }

                model[n] = value;
            }
            else
            {
                if (list.TryRemove(key, out long old) != present || (present && old != current))
                {
                    throw new XunitException($"TryRemove({n}) disagrees with the owner's model (present={present}, value={current})");
                }

                model.Remove(n);
            }

            operations++;
        }

        return operations;
    }

    private static long RunStableKeyScanner(BSkipList list, byte[][] sortedStable, Random rng, StressClock clock, ref long churnKeysSeen)
    {
        static bool Plausible(int n, long value) =>
            n < ChurnKeySpace && (n % 4 == 0
                ? value == StableValue(n)
                : StressKeys.IsValid(n, value) && StressKeys.GenerationOf(value) >> StressKeys.GenerationThreadShift == ChurnOwner(n));

        long operations = 0;
        while (clock.Running)
        {
            if (rng.Next(4) == 0)
            {
                for (int i = 0; i < 16; i++)
                {
                    int n = rng.Next(ChurnKeySpace / 4) * 4;
                    if (!list.TryGetValue(StressKeys.Key(n), out long value) || value != StableValue(n))
                    {
                        throw new XunitException($"untouched key {n} not found with its value during churn");
                    }
                }
            }
            else
            {
                var scan = ObservedScan.Take(list, rng, ChurnKeySpace);
                scan.CheckWellFormed(Plausible);
                scan.CheckContainsAll(sortedStable, StableValue);
                foreach (Entry entry in scan.Entries)
                {
                    if (StressKeys.TryDecode(entry.Key, out int n) && n % 4 != 0)
                    {
                        churnKeysSeen++;
                    }
                }
            }

            operations++;
        }

        return operations;
    }
}
