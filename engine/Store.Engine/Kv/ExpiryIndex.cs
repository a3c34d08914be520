using System.Buffers.Binary;
using Store.Index;

namespace Store.Kv;

/// <summary>
/// Keys with a TTL, ordered by (keyspace, category, expiry, key) in a B-skiplist, so active expiry
/// and "expired first" eviction read one range per category. Entries can be stale (the key was
/// rewritten); the sweeper checks the current record before removing anything.
/// </summary>
internal sealed class ExpiryIndex
{
    private const int PrefixLength = 12;
    private readonly BSkipList _entries = new();

    public long Count => _entries.Count;

    public void Add(int keyspace, int category, long expiry, ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[PrefixLength + Math.Min(key.Length, 256)];
        Span<byte> entry = Compose(keyspace, category, expiry, key, buffer);
        _entries.Set(entry, 0);
    }

    public void Remove(int keyspace, int category, long expiry, ReadOnlySpan<byte> key)
    {
        Span<byte> buffer = stackalloc byte[PrefixLength + Math.Min(key.Length, 256)];
        _entries.TryRemove(Compose(keyspace, category, expiry, key, buffer), out _);
    }

    /// <summary>Visits entries of one category with expiry &lt;= <paramref name="upTo"/>, oldest first.</summary>
    public void VisitExpired(int keyspace, int category, long upTo, ExpiredVisitor visitor)
    {
        Span<byte> from = stackalloc byte[PrefixLength];
        Span<byte> to = stackalloc byte[PrefixLength];
        Compose(keyspace, category, 0, default, from);
        Compose(keyspace, category, upTo + 1, default, to);
        _entries.Scan(from, to, (entry, _) => visitor(BinaryPrimitives.ReadInt64BigEndian(entry[4..]), entry[PrefixLength..]));
    }

    private static Span<byte> Compose(int keyspace, int category, long expiry, ReadOnlySpan<byte> key, Span<byte> buffer)
    {
        Span<byte> entry = buffer.Length >= PrefixLength + key.Length ? buffer : new byte[PrefixLength + key.Length];
        BinaryPrimitives.WriteUInt16BigEndian(entry, (ushort)keyspace);
        BinaryPrimitives.WriteUInt16BigEndian(entry[2..], (ushort)category);
        BinaryPrimitives.WriteInt64BigEndian(entry[4..], expiry);
        key.CopyTo(entry[PrefixLength..]);
        return entry[..(PrefixLength + key.Length)];
    }
}

/// <summary>Receives an expiry-index entry; return false to stop.</summary>
internal delegate bool ExpiredVisitor(long expiry, ReadOnlySpan<byte> key);
