namespace Store.Bench.Peers;

/// <summary>Adapter of the <see cref="ClassicSkipList"/> baseline.</summary>
internal readonly struct ClassicSkipListIndex(ClassicSkipList list) : IOrderedIndex
{
    public ClassicSkipList List { get; } = list;

    public bool SupportsScan => true;

    public long Count => List.Count;

    public bool Get(ReadOnlySpan<byte> key, out long value) => List.TryGetValue(key, out value);

    public void Upsert(ReadOnlySpan<byte> key, long value) => List.Upsert(key, value, out _);

    public bool Insert(ReadOnlySpan<byte> key, long value) => List.TryAdd(key, value);

    public bool Remove(ReadOnlySpan<byte> key, out long value) => List.TryRemove(key, out value);

    public int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum) =>
        List.ScanFrom(fromInclusive, maxCount, ref checksum);
}
