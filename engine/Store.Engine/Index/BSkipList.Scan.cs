namespace Store.Index;

public sealed partial class BSkipList
{
    [ThreadStatic]
    private static BSkipListCursor? _threadSpareCursor;

    /// <summary>Visits keys in [from, to) in order; returns the number of keys visited.</summary>
    /// <remarks>Same guarantees as <see cref="BSkipListCursor"/>; the visitor runs without any lock held.</remarks>
    public long Scan(ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive, ScanVisitor visitor)
    {
        CheckKey(fromInclusive);
        CheckKey(toExclusive);
        return Visit(fromInclusive, toExclusive, hasEnd: true, visitor);
    }

    /// <summary>Visits keys &gt;= from in order; returns the number of keys visited.</summary>
    public long ScanFrom(ReadOnlySpan<byte> fromInclusive, ScanVisitor visitor)
    {
        CheckKey(fromInclusive);
        return Visit(fromInclusive, default, hasEnd: false, visitor);
    }

    /// <summary>Opens a cursor over [from, to).</summary>
    public BSkipListCursor OpenCursor(ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive)
    {
        CheckKey(fromInclusive);
        CheckKey(toExclusive);
        var cursor = new BSkipListCursor();
        cursor.Reset(this, fromInclusive, toExclusive, hasEnd: true);
        return cursor;
    }

    /// <summary>Opens a cursor over keys &gt;= from (pass an empty span for all keys).</summary>
    public BSkipListCursor OpenCursor(ReadOnlySpan<byte> fromInclusive)
    {
        CheckKey(fromInclusive);
        var cursor = new BSkipListCursor();
        cursor.Reset(this, fromInclusive, default, hasEnd: false);
        return cursor;
    }

    internal BSkipNode DescendToLeaf(ulong prefix, ReadOnlySpan<byte> key) => DescendTo(0, prefix, key, strict: false);

    /// <summary>
    /// A cursor from this thread's spare (allocation-free for repeated scans); hand it back with
    /// <see cref="ReturnCursor"/>. A nested scan on the same thread gets a fresh one.
    /// </summary>
    internal BSkipListCursor RentCursor(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool hasEnd)
    {
        CheckKey(from);
        CheckKey(to);
        BSkipListCursor cursor = _threadSpareCursor ?? new BSkipListCursor();
        _threadSpareCursor = null;
        cursor.Reset(this, from, to, hasEnd);
        return cursor;
    }

    internal static void ReturnCursor(BSkipListCursor cursor)
    {
        cursor.Detach();
        _threadSpareCursor = cursor;
    }

    private long Visit(ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool hasEnd, ScanVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        BSkipListCursor cursor = RentCursor(from, to, hasEnd);
        try
        {
            long visited = 0;
            while (cursor.MoveNext())
            {
                visited++;
                if (!visitor(cursor.Key, cursor.Value))
                {
                    break;
                }
            }

            return visited;
        }
        finally
        {
            ReturnCursor(cursor);
        }
    }
}
