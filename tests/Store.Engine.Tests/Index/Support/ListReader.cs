using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

/// <summary>
/// Reads entries out of a <see cref="BSkipList"/> through each access path (Scan, ScanFrom,
/// cursors), copying keys. Scan paths also check that the returned count equals the number of
/// visitor calls.
/// </summary>
internal static class ListReader
{
    public static List<Entry> ScanAll(BSkipList list) => ScanFrom(list, [], int.MaxValue);

    public static List<Entry> CursorAll(BSkipList list) => Cursor(list, [], null, int.MaxValue);

    /// <summary>Scan over [from, to); the visitor stops after <paramref name="limit"/> entries.</summary>
    public static List<Entry> Scan(BSkipList list, byte[] from, byte[] to, int limit)
    {
        var entries = new List<Entry>();
        long returned = list.Scan(from, to, (key, value) =>
        {
            entries.Add(new Entry(key.ToArray(), value));
            return entries.Count < limit;
        });
        CheckReturned(entries, returned, "Scan");
        return entries;
    }

    /// <summary>ScanFrom; the visitor stops after <paramref name="limit"/> entries.</summary>
    public static List<Entry> ScanFrom(BSkipList list, byte[] from, int limit)
    {
        var entries = new List<Entry>();
        long returned = list.ScanFrom(from, (key, value) =>
        {
            entries.Add(new Entry(key.ToArray(), value));
            return entries.Count < limit;
        });
        CheckReturned(entries, returned, "ScanFrom");
        return entries;
    }

    /// <summary>Cursor over [from, to) (to null: unbounded), walked for at most <paramref name="limit"/> entries.</summary>
    public static List<Entry> Cursor(BSkipList list, byte[] from, byte[]? to, int limit)
    {
        var entries = new List<Entry>();
        using BSkipListCursor cursor = to is null ? list.OpenCursor(from) : list.OpenCursor(from, to);
        while (entries.Count < limit && cursor.MoveNext())
        {
            entries.Add(new Entry(cursor.Key.ToArray(), cursor.Value));
        }

        return entries;
    }

    private static void CheckReturned(List<Entry> entries, long returned, string method)
    {
        if (returned != entries.Count)
        {
            throw new XunitException(
                $"{method} returned {returned} but called the visitor {entries.Count} times");
        }
    }
}
