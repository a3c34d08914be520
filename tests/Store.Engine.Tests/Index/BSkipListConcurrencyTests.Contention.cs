using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

public sealed partial class BSkipListConcurrencyTests
{
    private const int ContentionThreadCount = 4;
    private const int ContendedFirst = 960;
    private const int ContendedKeyCount = 50;
    private static readonly int[] HotKeys = [1001, 1003, 1005, 1007, 1009, 1011];

    /// <summary>
    /// Threads hammer TryAdd/TryRemove/Upsert/TryUpdate on a few hot keys (and, less often, the other odd
    /// keys of 960..1059) whose even neighbours are present and never touched, so the hot keys share nodes
    /// that split and shrink. Per key: successful adds − successful removes = 1 if present else 0, every
    /// value made current is replaced or removed exactly once (or is the final value), and Count adds up.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void SameKeyContentionKeepsExactAccounting(int nodeCapacity)
    {
        int seed = TestMode.Seed(3_000 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        int neighbours = 0;
        for (int n = ContendedFirst; n < ContendedFirst + 2 * ContendedKeyCount; n += 2)
        {
            Assert.True(list.TryAdd(StressKeys.Key(n), StressKeys.Value(n, 0)));
            neighbours++;
        }

        var ledgers = new ValueLedger[ContentionThreadCount];
        var workers = new StressWorker[ContentionThreadCount];
        for (int t = 0; t < ContentionThreadCount; t++)
        {
            int thread = t + 1;
            int threadSeed = seed * 31 + t;
            var ledger = ledgers[t] = new ValueLedger(ContendedKeyCount);
            workers[t] = new StressWorker(
                $"contender {t} (seed {threadSeed}, nodeCapacity {nodeCapacity})",
                clock => RunContender(list, ledger, thread, new Random(threadSeed), clock));
        }

        StressHarness.Run(TestMode.StressDuration(3), workers);

        ValueLedger total = ValueLedger.Merge(ContendedKeyCount, ledgers);
        int present = 0;
        for (int k = 0; k < ContendedKeyCount; k++)
        {
            int n = ContendedNumber(k);
            bool found = list.TryGetValue(StressKeys.Key(n), out long final);
            present += found ? 1 : 0;
            string context = $"key {n}: adds={total.Adds[k]} removes={total.Removes[k]} present={found}";
            Assert.True(total.Adds[k] - total.Removes[k] == (found ? 1 : 0), context);
            Assert.True(total.Started[k] == total.Ended[k] + (found ? 1 : 0), $"{context}: started {total.Started[k]} values, ended {total.Ended[k]}");
            Assert.True(total.StartedSum[k] == unchecked(total.EndedSum[k] + (found ? final : 0)), $"{context}: a value was lost or ended twice (sum)");
            Assert.True(total.StartedMix[k] == unchecked(total.EndedMix[k] + (found ? StressKeys.Mix(final) : 0)), $"{context}: a value was lost or ended twice (mix)");
        }

        Assert.True(total.Adds.Sum() > 0 && total.Removes.Sum() > 0, "contenders never added and removed");
        Assert.Equal(neighbours + present, list.Count);
        for (int n = ContendedFirst; n < ContendedFirst + 2 * ContendedKeyCount; n += 2)
        {
            Assert.True(list.TryGetValue(StressKeys.Key(n), out long value), $"untouched neighbour {n} lost");
            Assert.Equal(StressKeys.Value(n, 0), value);
        }

        List<Entry> all = ListReader.ScanAll(list);
        EntryAssert.StrictlyIncreasing(all, "final scan");
        Assert.Equal(neighbours + present, all.Count);
    }

    private static int ContendedNumber(int index) => ContendedFirst + 2 * index + 1;

    private static int ContendedIndex(int n) => (n - ContendedFirst - 1) / 2;

    private static long RunContender(BSkipList list, ValueLedger ledger, int thread, Random rng, StressClock clock)
    {
        static bool WrittenByContender(int n, long value) =>
            StressKeys.IsValid(n, value)
            && StressKeys.GenerationOf(value) >> StressKeys.GenerationThreadShift is >= 1 and <= ContentionThreadCount;

        long operations = 0;
        uint sequence = 0;
        while (clock.Running)
        {
            int n = rng.Next(5) == 0 ? ContendedNumber(rng.Next(ContendedKeyCount)) : HotKeys[rng.Next(HotKeys.Length)];
            int k = ContendedIndex(n);
            byte[] key = StressKeys.Key(n);
            long value = StressKeys.Value(n, StressKeys.Generation(thread, ++sequence));
            int roll = rng.Next(100);
            if (roll < 25)
            {
                if (list.TryAdd(key, value))
                {
                    ledger.Adds[k]++;
                    ledger.Start(k, value);
                }
            }
            else if (roll < 50)
            {
                if (list.TryRemove(key, out long old))
                {
                    Check(WrittenByContender(n, old), n, "TryRemove", old);
                    ledger.Removes[k]++;
                    ledger.End(k, old);
                }
            }
            else if (roll < 70)
            {
                if (list.Upsert(key, value, out long previous))
                {
                    Check(WrittenByContender(n, previous), n, "Upsert", previous);
                    ledger.End(k, previous);
                }
                else
                {
                    ledger.Adds[k]++;
                }

                ledger.Start(k, value);
            }
            else if (roll < 90)
            {
                if (list.TryGetValue(key, out long current))
                {
                    Check(WrittenByContender(n, current), n, "TryGetValue", current);
                    if (list.TryUpdate(key, value, current))
                    {
                        ledger.End(k, current);
                        ledger.Start(k, value);
                    }
                }
            }
            else if (roll < 95)
            {
                // No thread ever writes generation thread id ContentionThreadCount + 1: the CAS must fail.
                long neverWritten = StressKeys.Value(n, StressKeys.Generation(ContentionThreadCount + 1, sequence));
                if (list.TryUpdate(key, value, neverWritten))
                {
                    throw new XunitException($"TryUpdate({n}) succeeded with a comparand that was never the value");
                }
            }
            else if (list.TryGetValue(key, out long seen))
            {
                Check(WrittenByContender(n, seen), n, "TryGetValue", seen);
            }

            operations++;
        }

        return operations;
    }

    private static void Check(bool plausible, int n, string operation, long value)
    {
        if (!plausible)
        {
            throw new XunitException($"{operation}({n}) returned a value never written for the key: {value:X16}");
        }
    }
}
