using Store.Index;

namespace Store.Tests.Index;

/// <summary>Deterministic edge cases of the B-skiplist: empty and tiny maps, key lengths, ordering, bulk, options, ranges.</summary>
public sealed partial class BSkipListEdgeTests
{
    [Fact]
    public void EmptyListFindsNothing()
    {
        var list = new BSkipList();

        Assert.Equal(0, list.Count);
        Assert.False(list.TryGetValue([], out _));
        Assert.False(list.TryGetValue("a"u8, out _));
        Assert.False(list.TryRemove([], out _));
        Assert.False(list.TryRemove("a"u8, out _));
        Assert.False(list.TryUpdate("a"u8, 1, 0));
        Assert.Empty(ListReader.Scan(list, [], [0xFF, 0xFF], int.MaxValue));
        Assert.Empty(ListReader.ScanFrom(list, [], int.MaxValue));
        Assert.Empty(ListReader.Cursor(list, [], [0xFF], int.MaxValue));
        Assert.Empty(ListReader.Cursor(list, [], null, int.MaxValue));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void CursorStaysExhaustedAfterTheEnd()
    {
        var list = new BSkipList();
        using (BSkipListCursor empty = list.OpenCursor([]))
        {
            Assert.False(empty.MoveNext());
            Assert.False(empty.MoveNext());
        }

        Assert.True(list.TryAdd("k"u8, 5));
        using BSkipListCursor cursor = list.OpenCursor([]);
        Assert.True(cursor.MoveNext());
        Assert.Equal("k"u8.ToArray(), cursor.Key.ToArray());
        Assert.Equal(5, cursor.Value);
        Assert.False(cursor.MoveNext());
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void FailedOperationsReportDefaultOutValues()
    {
        var list = new BSkipList();
        Assert.True(list.TryAdd("present"u8, 42));

        Assert.False(list.TryGetValue("absent"u8, out long found));
        Assert.Equal(0, found);
        Assert.False(list.TryRemove("absent"u8, out long removed));
        Assert.Equal(0, removed);
        Assert.False(list.Upsert("new"u8, 7, out long previous));
        Assert.Equal(0, previous);
    }

    [Fact]
    public void SingleKeyLifecycle()
    {
        var list = new BSkipList();
        byte[] key = "key"u8.ToArray();

        Assert.True(list.TryAdd(key, 42));
        Assert.Equal(1, list.Count);
        Assert.False(list.TryAdd(key, 43));
        Assert.True(list.TryGetValue(key, out long value));
        Assert.Equal(42, value);
        Assert.False(list.TryGetValue("ke"u8, out _));
        Assert.False(list.TryGetValue("key\0"u8, out _));

        Entry[] only = [new(key, 42)];
        EntryAssert.Equal(only, ListReader.Scan(list, key, [.. key, 0], int.MaxValue), "[key, key\\0)");
        EntryAssert.Equal(only, ListReader.Scan(list, [], "kez"u8.ToArray(), int.MaxValue), "[empty, kez)");
        Assert.Empty(ListReader.Scan(list, [], key, int.MaxValue));
        Assert.Empty(ListReader.ScanFrom(list, [.. key, 0], int.MaxValue));
        EntryAssert.Equal(only, ListReader.Cursor(list, "k"u8.ToArray(), null, int.MaxValue), "cursor from k");

        Assert.True(list.Upsert(key, -5, out long previous));
        Assert.Equal(42, previous);
        Assert.True(list.TryUpdate(key, 6, -5));
        Assert.False(list.TryUpdate(key, 7, -5));
        Assert.True(list.TryRemove(key, out long removed));
        Assert.Equal(6, removed);
        Assert.Equal(0, list.Count);
        Assert.False(list.TryRemove(key, out _));
        Assert.Empty(ListReader.ScanAll(list));
    }

    [Fact]
    public void EmptyKeyIsAValidKeyAndSortsFirst()
    {
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = 8 });
        Assert.True(list.TryAdd("a"u8, 1));
        Assert.True(list.TryAdd([0], 2));
        Assert.False(list.TryGetValue([], out _));
        Assert.True(list.TryAdd([], 7));
        Assert.False(list.TryAdd([], 8));

        Assert.Equal(3, list.Count);
        Assert.True(list.TryGetValue([], out long value));
        Assert.Equal(7, value);
        EntryAssert.Equal([new([], 7), new([0], 2), new("a"u8.ToArray(), 1)], ListReader.ScanAll(list), "all");
        EntryAssert.Equal([new([], 7)], ListReader.Scan(list, [], [0], int.MaxValue), "[empty, 00)");
        Assert.Empty(ListReader.Scan(list, [], [], int.MaxValue));

        Assert.True(list.TryRemove([], out long removed));
        Assert.Equal(7, removed);
        EntryAssert.Equal([new([0], 2), new("a"u8.ToArray(), 1)], ListReader.CursorAll(list), "after removing the empty key");
    }
}
