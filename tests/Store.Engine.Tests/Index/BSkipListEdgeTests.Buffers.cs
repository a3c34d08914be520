using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Fact]
    public void KeysAreCopiedFromTheCallersBuffer()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        byte[] shortKey = [1, 2, 3];
        byte[] longKey = [.. Enumerable.Range(0, 40).Select(i => (byte)i)];
        Assert.True(list.TryAdd(shortKey, 3));
        Assert.True(list.TryAdd(longKey, 40));

        shortKey[0] = 9;
        longKey[39] = 0xFF;

        Assert.False(list.TryGetValue(shortKey, out _));
        Assert.False(list.TryGetValue(longKey, out _));
        Assert.True(list.TryGetValue([1, 2, 3], out long value));
        Assert.Equal(3, value);
        EntryAssert.Equal(
            [new([.. Enumerable.Range(0, 40).Select(i => (byte)i)], 40), new([1, 2, 3], 3)],
            ListReader.ScanAll(list),
            "contents after the caller reused its buffers");
    }

    [Fact]
    public void CursorBoundsAreCopiedWhenTheCursorOpens()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 100; i++)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        byte[] from = TwoByteKey(10);
        byte[] to = TwoByteKey(20);
        var seen = new List<long>();
        using (BSkipListCursor cursor = list.OpenCursor(from, to))
        {
            from[1] = 50;
            to[1] = 90;
            while (cursor.MoveNext())
            {
                seen.Add(cursor.Value);
            }
        }

        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), seen);
    }

    [Fact]
    public void ThrowingVisitorPropagatesAndLeavesTheListUsable()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 100; i++)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        int calls = 0;
        var thrown = Assert.Throws<InvalidOperationException>(() => list.ScanFrom(TwoByteKey(5), (_, value) =>
            ++calls < 3 ? true : throw new InvalidOperationException($"visitor stops at {value}")));
        Assert.Equal("visitor stops at 7", thrown.Message);

        // No lock or cursor state may be left behind: writes and scans on this thread still work.
        Assert.True(list.TryRemove(TwoByteKey(6), out _));
        Assert.True(list.TryAdd(TwoByteKey(100), 100));
        Assert.Equal(
            Enumerable.Range(0, 101).Where(i => i != 6).Select(i => (long)i),
            ListReader.ScanAll(list).Select(e => e.Value));
        Assert.Equal(
            new long[] { 5, 7, 8 },
            ListReader.Scan(list, TwoByteKey(5), TwoByteKey(9), int.MaxValue).Select(e => e.Value));
    }
}
