using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

public sealed partial class BSkipListConcurrencyTests
{
    private const int ValueWriterCount = 2;
    private const int ValueReaderCount = 3;
    private const int ValueKeySpace = 4_000;

    /// <summary>
    /// Writers share all keys and write value = (generation, checksum(key, generation)), publishing each
    /// generation before writing it. Readers (lookups, cursors, Scans) must only ever see, for a key, a
    /// value with a valid checksum for that key and a generation already published by its writer: never
    /// garbage, a torn value, or a value belonging to another key.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void ReadersNeverSeeAValueThatWasNotWrittenForTheKey(int nodeCapacity)
    {
        int seed = TestMode.Seed(5_000 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        for (int n = 0; n < ValueKeySpace; n += 2)
        {
            Assert.True(list.TryAdd(StressKeys.Key(n), StressKeys.Value(n, 0)));
        }

        // published[t - 1] = highest sequence writer t may have written so far (generation thread 0 = prefill).
        var published = new long[ValueWriterCount];
        bool Plausible(int n, long value)
        {
            if (n >= ValueKeySpace || !StressKeys.IsValid(n, value))
            {
                return false;
            }

            uint generation = StressKeys.GenerationOf(value);
            uint thread = generation >> StressKeys.GenerationThreadShift;
            uint sequence = generation & StressKeys.GenerationSequenceMask;
            return thread == 0
                ? sequence == 0
                : thread <= ValueWriterCount && sequence <= Volatile.Read(ref published[thread - 1]);
        }

        var workers = new List<StressWorker>();
        for (int w = 0; w < ValueWriterCount; w++)
        {
            int thread = w + 1;
            int threadSeed = seed * 31 + w;
            workers.Add(new StressWorker(
                $"value writer {w} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunValueWriter(list, published, thread, Plausible, new Random(threadSeed), clock)));
        }

        for (int r = 0; r < ValueReaderCount; r++)
        {
            int threadSeed = seed * 31 + 100 + r;
            workers.Add(new StressWorker(
                $"value reader {r} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunValueReader(list, Plausible, new Random(threadSeed), clock)));
        }

        StressHarness.Run(TestMode.StressDuration(3), [.. workers]);

        List<Entry> all = ListReader.ScanAll(list);
        EntryAssert.StrictlyIncreasing(all, "final scan");
        Assert.Equal(all.Count, list.Count);
        foreach (Entry entry in all)
        {
            Assert.True(StressKeys.TryDecode(entry.Key, out int n), $"final scan returned a foreign key {entry}");
            Assert.True(Plausible(n, entry.Value), $"final scan returned a value never written for key {n}: {entry.Value:X16}");
        }
    }

    private static long RunValueWriter(
        BSkipList list, long[] published, int thread, Func<int, long, bool> plausible, Random rng, StressClock clock)
    {
        long operations = 0;
        uint sequence = 0;
        while (clock.Running)
        {
            int n = rng.Next(ValueKeySpace);
            byte[] key = StressKeys.Key(n);
            Volatile.Write(ref published[thread - 1], ++sequence);
            long value = StressKeys.Value(n, StressKeys.Generation(thread, sequence));
            int roll = rng.Next(100);
            long seen = 0;
            bool returned = false;
            if (roll < 30)
            {
                returned = list.Upsert(key, value, out seen);
            }
            else if (roll < 50)
            {
                list.TryAdd(key, value);
            }
            else if (roll < 75)
            {
                returned = list.TryRemove(key, out seen);
            }
            else if (list.TryGetValue(key, out seen))
            {
                returned = true;
                list.TryUpdate(key, value, seen);
            }

            if (returned && !plausible(n, seen))
            {
                throw new XunitException($"writer saw a value never written for key {n}: {seen:X16}");
            }

            operations++;
        }

        return operations;
    }

    private static long RunValueReader(BSkipList list, Func<int, long, bool> plausible, Random rng, StressClock clock)
    {
        long operations = 0;
        while (clock.Running)
        {
            if (rng.Next(3) == 0)
            {
                ObservedScan.Take(list, rng, ValueKeySpace).CheckWellFormed(plausible);
            }
            else
            {
                int n = rng.Next(ValueKeySpace);
                if (list.TryGetValue(StressKeys.Key(n), out long value) && !plausible(n, value))
                {
                    throw new XunitException($"TryGetValue({n}) returned a value never written for it: {value:X16}");
                }
            }

            operations++;
        }

        return operations;
    }
}
