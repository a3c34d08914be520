namespace Store.Cache;

/// <summary>
/// What memory keeps of one entry: where its vector sits, its exact key, times and counters. The
/// prompt, vector and response live in the KV tier (<see cref="CacheRecords"/>).
/// </summary>
internal sealed class CachedEntry(long id, VectorSlice slice, CategoryState category, UInt128 promptKey, long createdMs, long expiresMs, int bytes)
{
    private long _lastHitMs = createdMs;
    private long _hits;
    private int _removed;

    public long Id { get; } = id;

    public VectorSlice Slice { get; } = slice;

    public CategoryState Category { get; } = category;

    public UInt128 PromptKey { get; } = promptKey;

    public long CreatedMs { get; } = createdMs;

    public long ExpiresMs { get; } = expiresMs;

    /// <summary>Bytes the entry counts against its category's quota.</summary>
    public int Bytes { get; } = bytes;

    /// <summary>Internal id in its slice (set once, when added).</summary>
    public int Node { get; set; } = -1;

    /// <summary>Position in its category's list of live entries (guarded by the category's lock).</summary>
    public int LedgerIndex { get; set; } = -1;

    public long LastHitMs => Volatile.Read(ref _lastHitMs);

    public long Hits => Volatile.Read(ref _hits);

    public bool IsRemoved => Volatile.Read(ref _removed) != 0;

    public bool IsExpired(long nowMs) => nowMs >= ExpiresMs;

    /// <summary>Claims the removal: true for exactly one caller.</summary>
    public bool TryMarkRemoved() => Interlocked.Exchange(ref _removed, 1) == 0;

    public void Hit(long nowMs)
    {
        Interlocked.Increment(ref _hits);
        Volatile.Write(ref _lastHitMs, nowMs);
    }
}
