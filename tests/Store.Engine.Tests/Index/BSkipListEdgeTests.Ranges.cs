using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Fact]
    public void RangesWithFromNotBelowToAreEmpty()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 1000; i++)
        {
            Assert.True(list.TryAdd(TwoByteKey(2 * i), i));
        }

        byte[] member = TwoByteKey(500);
        byte[] absent = TwoByteKey(501);
        (byte[] From, byte[] To)[] ranges =
        [
            (member, member),
            (absent, absent),
            (TwoByteKey(900), TwoByteKey(100)),
            (TwoByteKey(501), TwoByteKey(500)),
            ([0xFF], []),
        ];
        foreach (var (from, to) in ranges)
        {
            int calls = 0;
            Assert.Equal(0, list.Scan(from, to, (_, _) => ++calls > 0));
            Assert.Equal(0, calls);
            Assert.Empty(ListReader.Cursor(list, from, to, int.MaxValue));
        }

        Assert.Empty(ListReader.ScanFrom(list, TwoByteKey(1999), int.MaxValue));
        Assert.Empty(ListReader.Cursor(list, [0xFF], null, int.MaxValue));
        EntryAssert.Equal([new(TwoByteKey(1998), 999)], ListReader.Cursor(list, TwoByteKey(1997), null, int.MaxValue), "last key");
    }

    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void CursorsAndScansReturnExactlyTheModelRange(int nodeCapacity)
    {
        var rng = new Random(31 + nodeCapacity);
        KeyUniverse universe = KeyUniverse.Create(KeyShape.SharedPrefixes, rng);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        var model = new ModelMap();
        foreach (byte[] key in universe.Keys)
        {
            if (rng.Next(3) != 0)
            {
                long value = rng.NextInt64();
                Assert.True(list.TryAdd(key, value));
                model.Set(key, value);
            }
        }

        for (int i = 0; i < 500; i++)
        {
            byte[] from = universe.Bound(rng);
            byte[] to = universe.Bound(rng);
            string range = $"[{KeyText.Format(from)}, {KeyText.Format(to)})";
            List<Entry> expected = model.Range(from, to);
            EntryAssert.Equal(expected, ListReader.Cursor(list, from, to, int.MaxValue), "cursor " + range);
            EntryAssert.Equal(expected, ListReader.Scan(list, from, to, int.MaxValue), "Scan " + range);
            EntryAssert.Equal(model.Range(from, null), ListReader.Cursor(list, from, null, int.MaxValue), "cursor from " + range);
        }
    }

    [Fact]
    public void ScanStopsWhenTheVisitorReturnsFalse()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 100; i++)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        foreach (int stopAfter in new[] { 1, 2, 7, 8, 9, 50, 99, 100 })
        {
            var seen = new List<long>();
            long visited = list.Scan(TwoByteKey(0), TwoByteKey(1000), (_, value) =>
            {
                seen.Add(value);
                return seen.Count < stopAfter;
            });
            Assert.Equal(stopAfter, visited);
            Assert.Equal(Enumerable.Range(0, stopAfter).Select(i => (long)i), seen);

            seen.Clear();
            visited = list.ScanFrom(TwoByteKey(10), (_, value) =>
            {
                seen.Add(value);
                return seen.Count < stopAfter;
            });
            Assert.Equal(Math.Min(stopAfter, 90), visited);
            Assert.Equal(Enumerable.Range(10, Math.Min(stopAfter, 90)).Select(i => (long)i), seen);
        }
    }

    [Fact]
    public void TwoCursorsAdvanceIndependently()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 100; i++)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        using BSkipListCursor first = list.OpenCursor(TwoByteKey(0));
        using BSkipListCursor second = list.OpenCursor(TwoByteKey(50), TwoByteKey(60));
        var fromFirst = new List<long>();
        var fromSecond = new List<long>();
        bool firstMore = true;
        bool secondMore = true;
        while (firstMore || secondMore)
        {
            if (firstMore && (firstMore = first.MoveNext()))
            {
                fromFirst.Add(first.Value);
            }

            if (secondMore && (secondMore = second.MoveNext()))
            {
                fromSecond.Add(second.Value);
            }
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), fromFirst);
        Assert.Equal(Enumerable.Range(50, 10).Select(i => (long)i), fromSecond);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void CursorSeesEveryUntouchedKeyWhileTheListChangesBetweenSteps(int nodeCapacity)
    {
        // Single-threaded, deterministic version of the concurrent cursor rules: even keys are never
        // touched, odd keys are inserted and removed between MoveNext calls (causing splits and merges).
        var rng = new Random(41 + nodeCapacity);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        for (int i = 0; i < 4000; i += 2)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        for (int round = 0; round < 20; round++)
        {
            int low = rng.Next(0, 3000);
            int high = low + rng.Next(1, 1000);
            var returned = new List<Entry>();
            using (BSkipListCursor cursor = list.OpenCursor(TwoByteKey(low), TwoByteKey(high)))
            {
                while (cursor.MoveNext())
                {
                    returned.Add(new Entry(cursor.Key.ToArray(), cursor.Value));
                    for (int j = 0; j < 4; j++)
                    {
                        int odd = rng.Next(2000) * 2 + 1;
                        if (rng.Next(2) == 0)
                        {
                            list.TryAdd(TwoByteKey(odd), odd);
                        }
                        else
                        {
                            list.TryRemove(TwoByteKey(odd), out _);
                        }
                    }
                }
            }

            string what = $"round {round} [{low}, {high})";
            EntryAssert.StrictlyIncreasing(returned, what);
            var values = returned.Select(e => e.Value).ToList();
            Assert.All(returned, e => Assert.Equal(TwoByteKey((int)e.Value), e.Key));
            Assert.All(values, v => Assert.InRange(v, low, high - 1));
            int firstEven = low + low % 2;
            Assert.Equal(
                Enumerable.Range(0, Math.Max(0, (high - firstEven + 1) / 2)).Select(k => (long)(firstEven + 2 * k)),
                values.Where(v => v % 2 == 0));
        }
    }

    private static byte[] TwoByteKey(int n) => [(byte)(n >> 8), (byte)n];
}
