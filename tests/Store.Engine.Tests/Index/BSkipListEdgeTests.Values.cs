using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void ExtremeValuesRoundTrip(long special)
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int i = 0; i < 40; i++)
        {
            Assert.True(list.TryAdd([(byte)i], i % 2 == 0 ? special : i));
        }

        for (int i = 0; i < 40; i++)
        {
            Assert.True(list.TryGetValue([(byte)i], out long value));
            Assert.Equal(i % 2 == 0 ? special : i, value);
        }

        Assert.Equal(20, ListReader.ScanAll(list).Count(e => e.Value == special));
        Assert.True(list.Upsert([0], 123, out long previous));
        Assert.Equal(special, previous);
        Assert.True(list.TryUpdate([2], 456, special));
        Assert.False(list.TryUpdate([4], 456, unchecked(special + 1)));
        Assert.True(list.TryRemove([4], out long removed));
        Assert.Equal(special, removed);
        Assert.True(list.Upsert([6], unchecked(special - 1), out previous));
        Assert.Equal(special, previous);
        Assert.True(list.TryGetValue([6], out long updated));
        Assert.Equal(unchecked(special - 1), updated);
    }

    [Fact]
    public void TryUpdateReplacesOnlyAMatchingPresentValue()
    {
        var list = new BSkipList();
        Assert.False(list.TryUpdate("k"u8, 1, 0));
        Assert.False(list.TryGetValue("k"u8, out _));
        Assert.Equal(0, list.Count);

        Assert.True(list.TryAdd("k"u8, 10));
        Assert.False(list.TryUpdate("k"u8, 11, 9));
        Assert.True(list.TryGetValue("k"u8, out long unchanged));
        Assert.Equal(10, unchanged);
        Assert.True(list.TryUpdate("k"u8, 11, 10));
        Assert.True(list.TryUpdate("k"u8, 11, 11));
        Assert.True(list.TryGetValue("k"u8, out long value));
        Assert.Equal(11, value);
        Assert.Equal(1, list.Count);
    }
}
