namespace Store.Tests.Index;

/// <summary>The model's comparer must implement the promised order, or every model test is moot.</summary>
public sealed class ByteKeyComparerTests
{
    [Fact]
    public void OrdersUnsignedLexicographicallyWithPrefixesFirst()
    {
        byte[][] ascending =
        [
            [],
            [0x00],
            [0x00, 0x00],
            [0x01],
            [(byte)'a', (byte)'b'],
            [(byte)'a', (byte)'b', 0x00],
            [(byte)'a', (byte)'b', (byte)'c'],
            [0x7F, 0xFF, 0xFF],
            [0x80],
            [0xFF],
        ];

        for (int i = 0; i < ascending.Length; i++)
        {
            for (int j = 0; j < ascending.Length; j++)
            {
                int sign = Math.Sign(ByteKeyComparer.Instance.Compare(ascending[i], ascending[j]));
                Assert.Equal(i.CompareTo(j), sign);
            }
        }
    }

    [Fact]
    public void ModelMapRangeIsHalfOpen()
    {
        var model = new ModelMap();
        model.Set([1], 1);
        model.Set([2], 2);
        model.Set([3], 3);
        model.Set([2], 20);
        Assert.True(model.Remove([3], out long removed));
        Assert.Equal(3, removed);

        Assert.Equal([1L, 20L], model.Range([1], [3]).Select(e => e.Value));
        Assert.Equal([20L], model.Range([1, 0], [3]).Select(e => e.Value));
        Assert.Empty(model.Range([2], [2]));
        Assert.Equal(2, model.Count);
    }
}
