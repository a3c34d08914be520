using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    /// <summary>
    /// Keys up to 16 bytes live whole in a node's two inline words (zero padded), longer ones keep their
    /// bytes from 8 on in the arena. Keys made of 0x00, 0x01 and 0xFF around the 8- and 16-byte marks are
    /// exactly those where padding makes unequal keys share both words: order, lookups, scans, cursors
    /// and removes must still tell every one apart.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void KeysThatDifferOnlyInPaddingAroundTheInlineWordsStayDistinct(int nodeCapacity)
    {
        var rng = new Random(1607 + nodeCapacity);
        byte[] alphabet = [0x00, 0x01, 0xFF];
        var keys = new Dictionary<string, byte[]>();
        foreach (int length in new[] { 0, 1, 7, 8, 9, 15, 16, 17, 24 })
        {
            for (int n = 0; n < 60; n++)
            {
                byte[] key = new byte[length];
                for (int i = 0; i < length; i++)
                {
                    // Mostly zeros, so many keys share their padded words with a shorter one.
                    key[i] = rng.Next(4) == 0 ? alphabet[rng.Next(alphabet.Length)] : (byte)0;
                }

                keys.TryAdd(Convert.ToHexString(key), key);
            }
        }

        byte[][] all = [.. keys.Values.OrderBy(_ => rng.Next())];
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        for (int i = 0; i < all.Length; i++)
        {
            Assert.True(list.TryAdd(all[i], i), $"key {Convert.ToHexString(all[i])} added twice");
        }

        List<Entry> expected = [.. all.Select((key, i) => new Entry(key, i)).OrderBy(e => e.Key, ByteKeyComparer.Instance)];
        EntryAssert.Equal(expected, ListReader.ScanAll(list), "scan");
        EntryAssert.Equal(expected, ListReader.CursorAll(list), "cursor");
        for (int i = 0; i < all.Length; i++)
        {
            Assert.True(list.TryGetValue(all[i], out long value));
            Assert.Equal(i, value);
            byte[] padded = [.. all[i], 0, 0];
            Assert.Equal(keys.ContainsKey(Convert.ToHexString(padded)), list.TryGetValue(padded, out _));
        }

        foreach (byte[] key in all.Where((_, i) => i % 2 == 0))
        {
            Assert.True(list.TryRemove(key, out _));
        }

        EntryAssert.Equal([.. expected.Where(e => e.Value % 2 == 1)], ListReader.ScanAll(list), "scan after removing half");
    }
}
