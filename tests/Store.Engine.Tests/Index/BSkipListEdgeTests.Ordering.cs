using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void KeysSharingA298BytePrefixSortByTheirLastTwoBytes(int nodeCapacity)
    {
        var rng = new Random(21);
        byte[] prefix = RandomBytes(rng, 298);
        var keys = new byte[1000][];
        for (int i = 0; i < keys.Length; i++)
        {
            int suffix = i * 65 + 7; // spans 0x0007..0xFD2F, high bytes above 0x7F included
            keys[i] = [.. prefix, (byte)(suffix >> 8), (byte)suffix];
        }

        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        byte[][] shuffled = [.. keys];
        rng.Shuffle(shuffled);
        foreach (byte[] key in shuffled)
        {
            Assert.True(list.TryAdd(key, Array.IndexOf(keys, key)));
        }

        Assert.Equal(1000, list.Count);
        var expected = keys.Select((key, i) => new Entry(key, i)).ToList();
        EntryAssert.Equal(expected, ListReader.ScanAll(list), "all keys in order");
        EntryAssert.Equal(expected[200..700], ListReader.Cursor(list, keys[200], keys[700], int.MaxValue), "[k200, k700)");
        EntryAssert.Equal(expected[200..700], ListReader.Scan(list, keys[200], keys[700], int.MaxValue), "Scan [k200, k700)");
        Assert.False(list.TryGetValue(prefix, out _));
        Assert.False(list.TryGetValue([.. prefix, 0, 7, 0], out _));

        for (int i = 0; i < keys.Length; i += 2)
        {
            Assert.True(list.TryRemove(keys[i], out long removed));
            Assert.Equal(i, removed);
        }

        Assert.Equal(500, list.Count);
        EntryAssert.Equal(expected.Where((_, i) => i % 2 == 1).ToList(), ListReader.CursorAll(list), "odd keys after removing even");
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(i % 2 == 1, list.TryGetValue(keys[i], out _));
        }
    }

    [Fact]
    public void KeysDifferingOnlyInTrailingZerosOrderByLength()
    {
        var expectedOrder = new List<byte[]> { Array.Empty<byte>(), new byte[] { 0 }, new byte[] { 0, 0 } };
        for (int zeros = 0; zeros <= 15; zeros++)
        {
            expectedOrder.Add([(byte)'a', .. new byte[zeros]]);
        }

        expectedOrder.Add([(byte)'a', 0, 1]);
        expectedOrder.Add([(byte)'a', 1]);
        expectedOrder.Add([(byte)'b']);

        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = expectedOrder.Count - 1; i >= 0; i--)
        {
            Assert.True(list.TryAdd(expectedOrder[i], i));
        }

        EntryAssert.Equal(expectedOrder.Select((key, i) => new Entry(key, i)).ToList(), ListReader.ScanAll(list), "trailing-zero keys");
        for (int i = 0; i < expectedOrder.Count; i++)
        {
            Assert.True(list.TryGetValue(expectedOrder[i], out long value));
            Assert.Equal(i, value);
        }

        Assert.False(list.TryGetValue([(byte)'a', .. new byte[16]], out _));
        Assert.False(list.TryRemove([(byte)'a', .. new byte[16]], out _));
        Assert.True(list.TryRemove([(byte)'a', 0, 0], out long removed));
        Assert.Equal(5, removed);
        Assert.True(list.TryGetValue([(byte)'a', 0], out long shorter));
        Assert.Equal(4, shorter);
        Assert.True(list.TryGetValue([(byte)'a', 0, 0, 0], out long longer));
        Assert.Equal(6, longer);
    }

    [Fact]
    public void BytesCompareUnsigned()
    {
        byte[][] expectedOrder = [[0x00], [0x01], [0x7F], [0x7F, 0xFF], [0x80], [0x80, 0x00], [0x81], [0xFE], [0xFF], [0xFF, 0x00], [0xFF, 0xFF]];
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        var rng = new Random(22);
        int[] order = [.. Enumerable.Range(0, expectedOrder.Length)];
        rng.Shuffle(order);
        foreach (int i in order)
        {
            Assert.True(list.TryAdd(expectedOrder[i], i));
        }

        Assert.Equal(Enumerable.Range(0, expectedOrder.Length).Select(i => (long)i), ListReader.ScanAll(list).Select(e => e.Value));
        EntryAssert.Equal(
            [new([0x7F, 0xFF], 3), new([0x80], 4), new([0x80, 0x00], 5)],
            ListReader.Scan(list, [0x7F, 0x00], [0x81], int.MaxValue),
            "[7F00, 81)");
    }
}
