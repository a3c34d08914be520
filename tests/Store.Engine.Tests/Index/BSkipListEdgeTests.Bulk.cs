using System.Buffers.Binary;
using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    private const int BulkKeyCount = 200_000;

    [Fact]
    public void SameKeyInsertedAndRemoved100kTimesAmongNeighbours()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        for (int n = 0; n < 64; n++)
        {
            Assert.True(list.TryAdd(BigEndian(2 * (ulong)n), n));
        }

        byte[] key = BigEndian(33); // between neighbours 32 and 34
        for (int i = 0; i < 100_000; i++)
        {
            if (i % 2 == 0)
            {
                Assert.True(list.TryAdd(key, i));
            }
            else
            {
                Assert.False(list.Upsert(key, i, out _));
            }

            Assert.Equal(65, list.Count);
            Assert.True(list.TryGetValue(key, out long value));
            Assert.Equal(i, value);
            Assert.True(list.TryRemove(key, out long removed));
            Assert.Equal(i, removed);
            if (i % 1000 == 0)
            {
                Assert.False(list.TryRemove(key, out _));
                Assert.False(list.TryGetValue(key, out _));
                Assert.Equal(64, list.Count);
            }
        }

        Assert.Equal(64, list.Count);
        EntryAssert.Equal(
            Enumerable.Range(0, 64).Select(n => new Entry(BigEndian(2 * (ulong)n), n)).ToList(),
            ListReader.ScanAll(list),
            "neighbours after 100k insert/remove cycles");
    }

    [Theory]
    [InlineData(8, true, true)]
    [InlineData(8, false, true)]
    [InlineData(100, false, false)]
    [InlineData(100, true, false)]
    public void BulkInsertThenDeleteEverything(int nodeCapacity, bool insertAscending, bool deleteAscending)
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        foreach (int i in Order(insertAscending))
        {
            Assert.True(list.TryAdd(BulkKey(i), BulkValue(i)));
        }

        Assert.Equal(BulkKeyCount, list.Count);
        List<Entry> all = ListReader.ScanAll(list);
        Assert.Equal(BulkKeyCount, all.Count);
        for (int i = 0; i < BulkKeyCount; i++)
        {
            if (!ByteKeyComparer.Equal(BulkKey(i), all[i].Key) || all[i].Value != BulkValue(i))
            {
                Assert.Fail($"entry #{i} is {all[i]}, expected {new Entry(BulkKey(i), BulkValue(i))}");
            }
        }

        Assert.Equal(1000, ListReader.Cursor(list, BulkKey(50_000), BulkKey(51_000), int.MaxValue).Count);
        for (int i = 0; i < BulkKeyCount; i += 997)
        {
            Assert.True(list.TryGetValue(BulkKey(i), out long value));
            Assert.Equal(BulkValue(i), value);
        }

        foreach (int i in Order(deleteAscending))
        {
            if (!list.TryRemove(BulkKey(i), out long removed) || removed != BulkValue(i))
            {
                Assert.Fail($"TryRemove of key {i} failed or returned {removed}");
            }
        }

        Assert.Equal(0, list.Count);
        Assert.Empty(ListReader.ScanAll(list));
        Assert.Empty(ListReader.CursorAll(list));
        Assert.Empty(ListReader.Scan(list, BulkKey(0), BulkKey(BulkKeyCount), int.MaxValue));
        Assert.False(list.TryGetValue(BulkKey(0), out _));
        Assert.False(list.TryGetValue(BulkKey(BulkKeyCount - 1), out _));

        // The emptied list must remain usable.
        Assert.True(list.TryAdd(BulkKey(5), 5));
        Assert.True(list.TryAdd(BulkKey(3), 3));
        EntryAssert.Equal([new(BulkKey(3), 3), new(BulkKey(5), 5)], ListReader.ScanAll(list), "after refilling");
        Assert.Equal(2, list.Count);
    }

    private static IEnumerable<int> Order(bool ascending) => ascending
        ? Enumerable.Range(0, BulkKeyCount)
        : Enumerable.Range(0, BulkKeyCount).Reverse();

    private static byte[] BulkKey(int i) => BigEndian(0x0100_0000_0000UL + (ulong)i * 3);

    private static long BulkValue(int i) => ~(long)i;

    private static byte[] BigEndian(ulong number)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        return key;
    }
}
