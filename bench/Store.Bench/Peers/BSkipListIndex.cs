using Store.Index;

namespace Store.Bench.Peers;

/// <summary>
/// Adapter of the engine's <see cref="BSkipList"/>. Scans go through <see cref="BSkipList.ScanFrom"/>
/// with a visitor cached per thread, so a scan allocates nothing in the adapter.
/// </summary>
internal readonly struct BSkipListIndex(BSkipList list) : IOrderedIndex
{
    [ThreadStatic]
    private static ScanTally? _tally;

    public bool SupportsScan => true;

    public long Count => list.Count;

    public bool Get(ReadOnlySpan<byte> key, out long value) => list.TryGetValue(key, out value);

    public void Upsert(ReadOnlySpan<byte> key, long value) => list.Upsert(key, value, out _);

    public bool Insert(ReadOnlySpan<byte> key, long value) => list.TryAdd(key, value);

    public bool Remove(ReadOnlySpan<byte> key, out long value) => list.TryRemove(key, out value);

    public int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum)
    {
        if (maxCount <= 0)
        {
            return 0;
        }

        var tally = _tally ??= new ScanTally();
        tally.Begin(maxCount, checksum);
        list.ScanFrom(fromInclusive, tally.Visitor);
        checksum = tally.Checksum;
        return tally.Visited;
    }

    /// <summary>Counting visitor state of one thread.</summary>
    private sealed class ScanTally
    {
        private int _remaining;

        public ScanTally() => Visitor = Visit;

        public ScanVisitor Visitor { get; }

        public int Visited { get; private set; }

        public long Checksum { get; private set; }

        public void Begin(int maxCount, long checksum)
        {
            _remaining = maxCount;
            Visited = 0;
            Checksum = checksum;
        }

        private bool Visit(ReadOnlySpan<byte> key, long value)
        {
            Checksum = ScanChecksum.Fold(Checksum, key.Length, value);
            Visited++;
            return --_remaining > 0;
        }
    }
}
