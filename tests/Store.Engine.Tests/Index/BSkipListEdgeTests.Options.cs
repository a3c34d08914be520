using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Theory]
    [InlineData(7, 0, nameof(BSkipListOptions.NodeCapacity))]
    [InlineData(4097, 0, nameof(BSkipListOptions.NodeCapacity))]
    [InlineData(0, 0, nameof(BSkipListOptions.NodeCapacity))]
    [InlineData(-100, 0, nameof(BSkipListOptions.NodeCapacity))]
    [InlineData(100, 1, nameof(BSkipListOptions.MaxLevels))]
    [InlineData(100, 33, nameof(BSkipListOptions.MaxLevels))]
    [InlineData(100, -1, nameof(BSkipListOptions.MaxLevels))]
    public void InvalidOptionsAreRejectedNamingTheField(int nodeCapacity, int maxLevels, string field)
    {
        var options = new BSkipListOptions { NodeCapacity = nodeCapacity, MaxLevels = maxLevels };

        var fromValidate = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(field, fromValidate.ParamName);
        var fromConstructor = Assert.Throws<ArgumentOutOfRangeException>(() => new BSkipList(options));
        Assert.Equal(field, fromConstructor.ParamName);
    }

    [Fact]
    public void DefaultOptions()
    {
        var options = new BSkipListOptions();
        Assert.Equal(100, options.NodeCapacity);
        Assert.Equal(0, options.MaxLevels);
        options.Validate();

        var list = new BSkipList(null);
        Assert.True(list.TryAdd("x"u8, 1));
        Assert.Equal(1, list.Count);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(4096, 0)]
    [InlineData(8, 2)]
    [InlineData(8, 32)]
    [InlineData(100, 2)]
    [InlineData(4096, 32)]
    public void BoundaryOptionsWork(int nodeCapacity, int maxLevels)
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity, MaxLevels = maxLevels });
        var model = new ModelMap();
        var rng = new Random(nodeCapacity * 100 + maxLevels);
        for (int i = 0; i < 5000; i++)
        {
            byte[] key = RandomBytes(rng, rng.Next(1, 6));
            long value = rng.NextInt64();
            Assert.Equal(!model.ContainsKey(key), list.TryAdd(key, value));
            if (!model.ContainsKey(key))
            {
                model.Set(key, value);
            }
        }

        Assert.Equal(model.Count, list.Count);
        EntryAssert.Equal(model.All(), ListReader.ScanAll(list), $"contents with NodeCapacity={nodeCapacity} MaxLevels={maxLevels}");
    }
}
