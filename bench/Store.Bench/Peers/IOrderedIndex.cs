namespace Store.Bench.Peers;

/// <summary>
/// The operations the workloads need from an index of byte-string keys (lexicographic order) to
/// 64-bit values. Adapters are structs so the generic worker loops are specialised per structure
/// (direct calls, no interface dispatch in the timed loop, the same for every peer). Keys passed in
/// are borrowed: a structure that keeps a key copies it.
/// </summary>
internal interface IOrderedIndex
{
    /// <summary>False for unordered structures; they skip scan workloads.</summary>
    bool SupportsScan { get; }

    /// <summary>Number of keys present (may walk the structure; not used in timed loops).</summary>
    long Count { get; }

    bool Get(ReadOnlySpan<byte> key, out long value);

    /// <summary>Inserts or replaces (the update of workloads A and B).</summary>
    void Upsert(ReadOnlySpan<byte> key, long value);

    /// <summary>Inserts if absent; false (and no change) if present.</summary>
    bool Insert(ReadOnlySpan<byte> key, long value);

    bool Remove(ReadOnlySpan<byte> key, out long value);

    /// <summary>
    /// Visits up to <paramref name="maxCount"/> keys &gt;= <paramref name="fromInclusive"/> in order,
    /// folding each into <paramref name="checksum"/> with <see cref="ScanChecksum.Fold"/>; returns the number visited.
    /// </summary>
    int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum);
}
