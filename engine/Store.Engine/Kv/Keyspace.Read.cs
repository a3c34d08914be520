using System.Buffers;
using Store.Index;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Keyspace
{
    [ThreadStatic]
    private static byte[]? _threadValueBuffer;

    /// <summary>True if the index holds the key (no log read; an expired key not yet reaped counts).</summary>
    internal bool ContainsKeyInMemory(ReadOnlySpan<byte> key) => Index.ContainsKey(key);

    /// <summary>Reads a value; null if the key is absent or expired.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var writer = new ArrayBufferWriter<byte>();
        return TryGet(key, writer, out _) ? writer.WrittenSpan.ToArray() : null;
    }

    /// <summary>
    /// Reads a value into <paramref name="destination"/> without allocating; false if the key is absent
    /// or expired. <paramref name="info"/> carries the version, expiry, category and length.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, IBufferWriter<byte> destination, out EntryInfo info)
    {
        ArgumentNullException.ThrowIfNull(destination);
        CheckKey(key);
        while (Index.TryGetValue(key, out long slot))
        {
            long address = slot & AddressMask;
            if (!_log.TryRead(address, out RecordRef record))
            {
                continue; // compacted away under us: the index already points at the new copy
            }

            int category;
            using (record)
            {
                RecordHeader h = record.Header;
                if (h.Expiry != 0 && h.Expiry <= NowMs()) // the clock is read only for keys that can expire
                {
                    break;
                }

                int length = RecordMeta.RawLength(record);
                RecordMeta.CopyValue(record, destination.GetSpan(length)[..length], address);
                destination.Advance(length);
                info = new EntryInfo(h.Sequence, h.Expiry, h.Category, length);
                category = h.Category;
            }

            Touch(key, slot, category);
            return true;
        }

        info = default;
        return false;
    }

    /// <summary>Reads an entry's metadata (version, expiry, category, length) without its value; false if absent or expired.</summary>
    public bool TryGetInfo(ReadOnlySpan<byte> key, out EntryInfo info)
    {
        CheckKey(key);
        long now = NowMs();
        while (Index.TryGetValue(key, out long slot))
        {
            if (!_log.TryRead(slot & AddressMask, out RecordRef record))
            {
                continue;
            }

            using (record)
            {
                RecordHeader h = record.Header;
                if (h.Expiry != 0 && h.Expiry <= now)
                {
                    break;
                }

                info = new EntryInfo(h.Sequence, h.Expiry, h.Category, RecordMeta.RawLength(record));
                return true;
            }
        }

        info = default;
        return false;
    }

    /// <summary>
    /// Time left before the key expires: false if the key is absent or expired; true with null if it
    /// has no TTL.
    /// </summary>
    public bool TryGetTimeToLive(ReadOnlySpan<byte> key, out TimeSpan? timeToLive)
    {
        timeToLive = null;
        if (!TryGetInfo(key, out EntryInfo info))
        {
            return false;
        }

        if (info.ExpiresAtUnixMs != 0)
        {
            timeToLive = TimeSpan.FromMilliseconds(Math.Max(0, info.ExpiresAtUnixMs - NowMs()));
        }

        return true;
    }

    /// <summary>Reads many keys; <paramref name="values"/>[i] is null where keys[i] is absent or expired.</summary>
    public void MultiGet(IReadOnlyList<byte[]> keys, byte[]?[] values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length < keys.Count)
        {
            throw new ArgumentException($"values has {values.Length} slots for {keys.Count} keys.", nameof(values));
        }

        for (int i = 0; i < keys.Count; i++)
        {
            values[i] = Get(keys[i]);
        }
    }

    /// <summary>Visits live keys in [from, to) in order, at most <paramref name="limit"/>; returns the number visited.</summary>
    /// <remarks>Safe under concurrent writes: keys come in order, each once, and every key live for the whole scan is seen.</remarks>
    public long Scan(ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive, KvScanVisitor visitor, long limit = long.MaxValue)
    {
        CheckKey(fromInclusive, allowEmpty: true);
        CheckKey(toExclusive, allowEmpty: true);
        return Visit(Index.RentCursor(fromInclusive, toExclusive, hasEnd: true), visitor, limit);
    }

    /// <summary>Visits live keys &gt;= from in order, at most <paramref name="limit"/>; returns the number visited.</summary>
    public long ScanFrom(ReadOnlySpan<byte> fromInclusive, KvScanVisitor visitor, long limit = long.MaxValue)
    {
        CheckKey(fromInclusive, allowEmpty: true);
        return Visit(Index.RentCursor(fromInclusive, default, hasEnd: false), visitor, limit);
    }

    /// <summary>Visits live keys that start with <paramref name="prefix"/>, in order, at most <paramref name="limit"/>.</summary>
    public long ScanPrefix(ReadOnlySpan<byte> prefix, KvScanVisitor visitor, long limit = long.MaxValue)
    {
        byte[] end = prefix.ToArray();
        int last = end.Length - 1;
        while (last >= 0 && end[last] == 0xFF)
        {
            last--;
        }

        if (last < 0)
        {
            return ScanFrom(prefix, visitor, limit); // all 0xFF: everything after the prefix starts with it
        }

        end[last]++;
        return Scan(prefix, end.AsSpan(0, last + 1), visitor, limit);
    }

    /// <summary>
    /// One page of a resumable scan: up to <paramref name="limit"/> live entries of [from, to) (to null:
    /// unbounded) after <paramref name="resumeAfter"/> (the <see cref="ScanPage.NextCursor"/> of the previous page).
    /// </summary>
    public ScanPage ScanPage(ReadOnlySpan<byte> fromInclusive, byte[]? toExclusive, int limit, byte[]? resumeAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        byte[] start = fromInclusive.ToArray();
        byte[]? skip = null;
        if (resumeAfter is not null && resumeAfter.AsSpan().SequenceCompareTo(start) >= 0)
        {
            start = resumeAfter; // resume at the cursor key itself and skip it (cursor + 0x00 may exceed the key limit)
            skip = resumeAfter;
        }

        var items = new List<KeyValuePair<byte[], byte[]>>(Math.Min(limit, 1024));
        KvScanVisitor collect = (k, v) =>
        {
            if (skip is null || !k.SequenceEqual(skip))
            {
                items.Add(new(k.ToArray(), v.ToArray()));
            }

            return items.Count <= limit;
        };
        if (toExclusive is null)
        {
            ScanFrom(start, collect);
        }
        else
        {
            Scan(start, toExclusive, collect);
        }

        byte[]? next = null;
        if (items.Count > limit)
        {
            items.RemoveAt(items.Count - 1);
            next = items[^1].Key;
        }

        return new ScanPage(items, next);
    }

    private long Visit(BSkipListCursor cursor, KvScanVisitor visitor, long limit)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(visitor);
            cursor.BatchLimit = (int)Math.Clamp(limit, 1, 1024);
            return VisitEntries(cursor, visitor, limit);
        }
        finally
        {
            BSkipList.ReturnCursor(cursor);
        }
    }

    private long VisitEntries(BSkipListCursor cursor, KvScanVisitor visitor, long limit)
    {
        long now = NowMs();
        long visited = 0;
        while (visited < limit && cursor.MoveNext())
        {
            long address = cursor.Value & AddressMask;
            if (!_log.TryRead(address, out RecordRef record))
            {
                // Moved by compaction since the cursor copied its leaf: read the key's current record.
                if (!Index.TryGetValue(cursor.Key, out long slot) || !_log.TryRead(address = slot & AddressMask, out record))
                {
                    continue;
                }
            }

            using (record)
            {
                RecordHeader h = record.Header;
                if (h.Kind != RecordKind.Put || (h.Expiry != 0 && h.Expiry <= now))
                {
                    continue;
                }

                ReadOnlySpan<byte> value = record.StoredValue;
                if ((h.Flags & RecordFlags.Compressed) != 0)
                {
                    int length = RecordMeta.RawLength(record);
                    byte[] buffer = _threadValueBuffer is { } b && b.Length >= length ? b : (_threadValueBuffer = new byte[Math.Max(length, 4096)]);
                    RecordMeta.CopyValue(record, buffer.AsSpan(0, length), address);
                    value = buffer.AsSpan(0, length);
                }

                visited++;
                if (!visitor(cursor.Key, value))
                {
                    break;
                }
            }
        }

        return visited;
    }

    /// <summary>CLOCK: marks an entry of a quota'd category as recently used (one CAS, only when the bit is clear).</summary>
    private void Touch(ReadOnlySpan<byte> key, long slot, int category)
    {
        if (category != 0 && (slot & ReferencedBit) == 0 && CategoryById(category) is { HasQuota: true })
        {
            Index.TryUpdate(key, slot | ReferencedBit, slot);
        }
    }
}

/// <summary>A page of a resumable scan.</summary>
/// <param name="Items">Entries in key order.</param>
/// <param name="NextCursor">Pass as resumeAfter to get the next page; null when the range is exhausted.</param>
public sealed record ScanPage(IReadOnlyList<KeyValuePair<byte[], byte[]>> Items, byte[]? NextCursor);
