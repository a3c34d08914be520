using System.Collections.Concurrent;

namespace Store.Bench.Peers;

/// <summary>
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> with default settings and a content comparer:
/// unordered, the upper bound for point operations; it has no ordered scan and skips workload E.
/// Lookups go through a span alternate lookup (no allocation); inserts copy the key.
/// </summary>
internal readonly struct ConcurrentDictionaryIndex : IOrderedIndex
{
    private readonly ConcurrentDictionary<byte[], long> _map;
    private readonly ConcurrentDictionary<byte[], long>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public ConcurrentDictionaryIndex()
    {
        _map = new ConcurrentDictionary<byte[], long>(ByteContentComparer.Instance);
        _lookup = _map.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public bool SupportsScan => false;

    public long Count => _map.Count;

    public bool Get(ReadOnlySpan<byte> key, out long value) => _lookup.TryGetValue(key, out value);

    public void Upsert(ReadOnlySpan<byte> key, long value) => _lookup[key] = value;

    public bool Insert(ReadOnlySpan<byte> key, long value) => _lookup.TryAdd(key, value);

    public bool Remove(ReadOnlySpan<byte> key, out long value) => _lookup.TryRemove(key, out value);

    public int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum) =>
        throw new NotSupportedException("ConcurrentDictionary has no key order");
}
