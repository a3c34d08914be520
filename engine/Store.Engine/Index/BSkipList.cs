namespace Store.Index;

/// <summary>Visits one entry of a range scan; return false to stop the scan.</summary>
public delegate bool ScanVisitor(ReadOnlySpan<byte> key, long value);

/// <summary>
/// A concurrent ordered map from byte-string keys (lexicographic order, up to
/// <see cref="MaxKeyLength"/> bytes) to 64-bit handles, after the locality-optimised B-skiplist.
/// </summary>
public sealed partial class BSkipList
{
    /// <summary>Longest accepted key, in bytes (64 KiB).</summary>
    public const int MaxKeyLength = 64 * 1024;

    /// <summary>Creates an empty list.</summary>
    public BSkipList(BSkipListOptions? options = null) => throw new NotImplementedException();

    /// <summary>Number of keys present.</summary>
    public long Count => throw new NotImplementedException();

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out long value) => throw new NotImplementedException();

    /// <summary>Inserts the key if absent; returns false (and changes nothing) if present.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key, long value) => throw new NotImplementedException();

    /// <summary>Inserts or replaces; returns true and the previous value if the key was present.</summary>
    public bool Upsert(ReadOnlySpan<byte> key, long value, out long previous) => throw new NotImplementedException();

    /// <summary>Replaces the value only if the key is present with value <paramref name="comparand"/>.</summary>
    public bool TryUpdate(ReadOnlySpan<byte> key, long newValue, long comparand) => throw new NotImplementedException();

    /// <summary>Removes the key; returns false if absent.</summary>
    public bool TryRemove(ReadOnlySpan<byte> key, out long value) => throw new NotImplementedException();

    /// <summary>Visits keys in [from, to) in order; returns the number visited.</summary>
    public long Scan(ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive, ScanVisitor visitor) => throw new NotImplementedException();

    /// <summary>Visits keys &gt;= from in order; returns the number visited.</summary>
    public long ScanFrom(ReadOnlySpan<byte> fromInclusive, ScanVisitor visitor) => throw new NotImplementedException();

    /// <summary>Opens a cursor over [from, to).</summary>
    public BSkipListCursor OpenCursor(ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive) => throw new NotImplementedException();

    /// <summary>Opens a cursor over keys &gt;= from.</summary>
    public BSkipListCursor OpenCursor(ReadOnlySpan<byte> fromInclusive) => throw new NotImplementedException();
}

/// <summary>Cursor over a key range.</summary>
public sealed class BSkipListCursor : IDisposable
{
    /// <summary>Advances; false at the end.</summary>
    public bool MoveNext() => throw new NotImplementedException();

    /// <summary>Current key.</summary>
    public ReadOnlySpan<byte> Key => throw new NotImplementedException();

    /// <summary>Current value.</summary>
    public long Value => throw new NotImplementedException();

    /// <summary>Returns pooled buffers.</summary>
    public void Dispose() { }
}
