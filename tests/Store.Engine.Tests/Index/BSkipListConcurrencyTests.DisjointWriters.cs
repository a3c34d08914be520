using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

public sealed partial class BSkipListConcurrencyTests
{
    private const int DisjointWriterCount = 4;
    private const int DisjointReaderCount = 2;
    private const int DisjointKeySpace = 12_000;

    /// <summary>
    /// Writers own interleaved keys (n mod 4), so neighbouring keys in every node belong to different
    /// threads and splits and deletes race. Each writer checks every result against its private model;
    /// readers check ranges meanwhile. At the end the list equals the union of the models exactly.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void DisjointWritersLoseNoKeysUnderConcurrentSplitsAndDeletes(int nodeCapacity)
    {
        int seed = TestMode.Seed(1_000 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        var models = new Dictionary<int, long>[DisjointWriterCount];
        var workers = new List<StressWorker>();
        for (int w = 0; w < DisjointWriterCount; w++)
        {
            int owner = w;
            int threadSeed = seed * 31 + w;
            var model = models[w] = [];
            workers.Add(new StressWorker(
                $"writer {w} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunOwningWriter(list, model, owner, new Random(threadSeed), clock)));
        }

        for (int r = 0; r < DisjointReaderCount; r++)
        {
            int threadSeed = seed * 31 + 100 + r;
            workers.Add(new StressWorker(
                $"reader {r} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunOwnedKeysReader(list, new Random(threadSeed), clock)));
        }

        StressHarness.Run(TestMode.StressDuration(3), [.. workers]);

        var expected = new List<Entry>();
        for (int n = 0; n < DisjointKeySpace; n++)
        {
            if (models[n % DisjointWriterCount].TryGetValue(n, out long value))
            {
                expected.Add(new Entry(StressKeys.Key(n), value));
            }
        }

        EntryAssert.Equal(expected, ListReader.ScanAll(list), "final contents vs union of writer models");
        EntryAssert.Equal(expected, ListReader.CursorAll(list), "final cursor walk vs union of writer models");
        Assert.Equal(expected.Count, list.Count);
        foreach (Entry entry in expected)
        {
            Assert.True(list.TryGetValue(entry.Key, out long value), $"lookup of {entry} failed");
            Assert.Equal(entry.Value, value);
        }
    }

    private static long RunOwningWriter(BSkipList list, Dictionary<int, long> model, int owner, Random rng, StressClock clock)
    {
        const int slots = DisjointKeySpace / DisjointWriterCount;
        long operations = 0;
        uint sequence = 0;
        int walker = rng.Next(slots);
        while (clock.Running)
        {
            bool growing = operations / 4000 % 2 == 0;
            int slot = rng.Next(4) == 0 ? walker = (walker + 1) % slots : rng.Next(slots);
            int n = slot * DisjointWriterCount + owner;
            byte[] key = StressKeys.Key(n);
            long value = StressKeys.Value(n, StressKeys.Generation(owner, ++sequence));
            bool present = model.TryGetValue(n, out long current);
            int roll = rng.Next(100);
            if (roll < (growing ? 40 : 10))
            {
                bool added = list.TryAdd(key, value);
                if (added == present)
                {
                    throw new XunitException($"TryAdd({n}) returned {added}; owner's model says present={present}");
                }

                if (added)
                {
                    model[n] = value;
                }
            }
            else if (roll < (growing ? 60 : 20))
            {
                bool replaced = list.Upsert(key, value, out long previous);
                if (replaced != present || (present && previous != current))
                {
                    throw new XunitException($"Upsert({n}) returned {replaced}/{previous}; owner's model says present={present} value={current}");
                }

                model[n] = value;
            }
            else if (roll < (growing ? 75 : 35))
            {
                long comparand = rng.Next(2) == 0 ? current : current + 1;
                bool updated = list.TryUpdate(key, value, comparand);
                bool expected = present && comparand == current;
                if (updated != expected)
                {
                    throw new XunitException($"TryUpdate({n}, comparand {comparand}) returned {updated}; owner's model says present={present} value={current}");
                }

                if (updated)
                {
                    model[n] = value;
                }
            }
            else if (roll < (growing ? 85 : 45))
            {
                bool found = list.TryGetValue(key, out long seen);
                if (found != present || (present && seen != current))
                {
                    throw new XunitException($"TryGetValue({n}) returned {found}/{seen}; owner's model says present={present} value={current}");
                }
            }
            else
            {
                bool removed = list.TryRemove(key, out long old);
                if (removed != present || (present && old != current))
                {
                    throw new XunitException($"TryRemove({n}) returned {removed}/{old}; owner's model says present={present} value={current}");
                }

                model.Remove(n);
            }

            operations++;
        }

        return operations;
    }

    private static long RunOwnedKeysReader(BSkipList list, Random rng, StressClock clock)
    {
        static bool WrittenByOwner(int n, long value) =>
            n < DisjointKeySpace
            && StressKeys.IsValid(n, value)
            && StressKeys.GenerationOf(value) >> StressKeys.GenerationThreadShift == n % DisjointWriterCount;

        long operations = 0;
        while (clock.Running)
        {
            if (rng.Next(2) == 0)
            {
                ObservedScan.Take(list, rng, DisjointKeySpace).CheckWellFormed(WrittenByOwner);
            }
            else
            {
                int n = rng.Next(DisjointKeySpace);
                if (list.TryGetValue(StressKeys.Key(n), out long value))
                {
                    if (!WrittenByOwner(n, value))
                    {
                        throw new XunitException($"TryGetValue({n}) returned a value never written for it: {value:X16}");
                    }
                }
            }

            operations++;
        }

        return operations;
    }
}
