using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Fact]
    public void KeyOfExactlyMaxKeyLengthIsAccepted()
    {
        Assert.Equal(65536, BSkipList.MaxKeyLength);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        byte[] key = RandomBytes(new Random(11), BSkipList.MaxKeyLength);

        Assert.True(list.TryAdd(key, 1));
        Assert.True(list.TryGetValue(key, out long value));
        Assert.Equal(1, value);
        Assert.True(list.Upsert(key, 2, out long previous));
        Assert.Equal(1, previous);
        EntryAssert.Equal([new(key, 2)], ListReader.CursorAll(list), "cursor");
        Assert.True(list.TryRemove(key, out long removed));
        Assert.Equal(2, removed);
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void WritingAKeyLongerThanMaxKeyLengthThrowsAndChangesNothing()
    {
        var list = new BSkipList();
        byte[] tooLong = new byte[BSkipList.MaxKeyLength + 1];
        byte[] maximal = tooLong[..BSkipList.MaxKeyLength];
        Assert.True(list.TryAdd(maximal, 9));

        Assert.ThrowsAny<ArgumentException>(() => list.TryAdd(tooLong, 1));
        Assert.ThrowsAny<ArgumentException>(() => list.Upsert(tooLong, 1, out _));

        Assert.Equal(1, list.Count);
        EntryAssert.Equal([new(maximal, 9)], ListReader.ScanAll(list), "contents after rejected writes");
    }

    [Fact]
    public void LookingUpAKeyLongerThanMaxKeyLengthThrows()
    {
        var list = new BSkipList();
        byte[] tooLong = new byte[BSkipList.MaxKeyLength + 1];
        Assert.True(list.TryAdd(tooLong[..BSkipList.MaxKeyLength], 9));

        Assert.ThrowsAny<ArgumentException>(() => list.TryGetValue(tooLong, out _));
        Assert.ThrowsAny<ArgumentException>(() => list.TryRemove(tooLong, out _));
        Assert.ThrowsAny<ArgumentException>(() => list.TryUpdate(tooLong, 1, 9));

        Assert.Equal(1, list.Count);
        Assert.True(list.TryGetValue(tooLong[..BSkipList.MaxKeyLength], out long value));
        Assert.Equal(9, value);
    }

    [Fact]
    public void MaximalKeysSharingAllButTheLastByteSortByTheLastByte()
    {
        var rng = new Random(12);
        byte[] prefix = RandomBytes(rng, BSkipList.MaxKeyLength - 1);
        byte[] lastBytes = [0x00, 0x01, 0x7F, 0x80, 0x81, 0xFE, 0xFF, 0x10, 0x20, 0x40, 0x3C, 0xC3];
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        var model = new ModelMap();
        foreach (byte last in rng.GetItems(lastBytes, lastBytes.Length).Concat(lastBytes))
        {
            byte[] key = [.. prefix, last];
            bool expected = !model.ContainsKey(key);
            Assert.Equal(expected, list.TryAdd(key, last));
            if (expected)
            {
                model.Set(key, last);
            }
        }

        Assert.True(list.TryAdd(prefix, -1));
        model.Set(prefix, -1);

        Assert.Equal(lastBytes.Length + 1, list.Count);
        List<Entry> all = ListReader.ScanAll(list);
        EntryAssert.Equal(model.All(), all, "maximal keys");
        Assert.Equal(prefix, all[0].Key);
        Assert.Equal(new long[] { -1, 0x00, 0x01, 0x10, 0x20, 0x3C, 0x40, 0x7F, 0x80, 0x81, 0xC3, 0xFE, 0xFF }, all.Select(e => e.Value));

        byte[] from = [.. prefix, 0x7F];
        byte[] to = [.. prefix, 0xC3];
        EntryAssert.Equal(model.Range(from, to), ListReader.Cursor(list, from, to, int.MaxValue), "[..7F, ..C3)");
        foreach (byte last in lastBytes.Where((_, i) => i % 2 == 0))
        {
            Assert.True(list.TryRemove([.. prefix, last], out long removed));
            Assert.Equal(last, removed);
            model.Remove([.. prefix, last], out _);
        }

        EntryAssert.Equal(model.All(), ListReader.CursorAll(list), "after removing half");
    }

    private static byte[] RandomBytes(Random rng, int length)
    {
        var bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }
}
