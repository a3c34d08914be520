using Store.Index;

namespace Store.Tests.Index;

/// <summary>The recovery-time bulk builder and bounded cursor batches.</summary>
public sealed class BSkipListBuilderTests
{
    [Theory]
    [InlineData(8, 0)]
    [InlineData(8, 16)]
    [InlineData(100, 16)]
    [InlineData(100, 3)]
    public void BulkBuildEqualsSortedInput_AndStaysWritable(int capacity, int keyLength)
    {
        var random = new Random(capacity * 31 + keyLength);
        var keys = new SortedSet<byte[]>(ByteKeyComparer.Instance);
        while (keys.Count < 20_000)
        {
            var key = new byte[keyLength == 0 ? random.Next(0, 20) : keyLength];
            random.NextBytes(key);
            keys.Add(key);
        }

        var list = new BSkipList(new BSkipListOptions { NodeCapacity = capacity });
        BSkipListBuilder builder = list.CreateBuilder();
        long value = 0;
        foreach (byte[] key in keys)
        {
            Assert.True(builder.TryAppend(key, value++));
        }

        Assert.False(builder.TryAppend(keys.Min!, -1)); // not increasing: refused, nothing changed
        builder.Complete();
        list.Inspect();
        Assert.Equal(keys.Count, list.Count);

        // Afterwards the list behaves like any other: point reads, removals, inserts, scans.
        value = 0;
        foreach (byte[] key in keys)
        {
            Assert.True(list.TryGetValue(key, out long found));
            Assert.Equal(value++, found);
        }

        byte[][] all = [.. keys];
        for (int i = 0; i < all.Length; i += 3)
        {
            Assert.True(list.TryRemove(all[i], out _));
        }

        for (int i = 0; i < 2_000; i++)
        {
            var key = new byte[random.Next(1, 24)];
            random.NextBytes(key);
            list.Set(key, i);
            keys.Add(key);
        }

        list.Inspect();
        long scanned = list.ScanFrom([], (_, _) => true);
        Assert.Equal(list.Count, scanned);
    }

    [Fact]
    public void BuilderNeedsAnEmptyList()
    {
        var list = new BSkipList();
        list.Set([1], 1);
        Assert.Throws<InvalidOperationException>(() => list.CreateBuilder());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(11)]
    public void CursorBatchLimit_ReturnsTheSameKeysInOrder(int limit)
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 16 });
        for (int i = 0; i < 5_000; i += 2)
        {
            list.Set(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(i)), i);
        }

        using BSkipListCursor cursor = list.OpenCursor([]);
        cursor.BatchLimit = limit;
        int expected = 0;
        while (cursor.MoveNext())
        {
            Assert.Equal(expected, cursor.Value);
            expected += 2;
        }

        Assert.Equal(5_000, expected);
        Assert.Throws<ArgumentOutOfRangeException>(() => cursor.BatchLimit = 0);
    }
}
