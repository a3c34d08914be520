namespace Store.Kv;

/// <summary>
/// Rules for one category of a keyspace, after "Category-Aware Semantic Caching": how long its
/// entries live and how many it may hold. Over quota, the category evicts its own entries
/// (expired first, then least recently used), never another category's.
/// </summary>
public sealed record CategoryPolicy
{
    /// <summary>TTL for writes that give none; null means such entries never expire. Default null.</summary>
    public TimeSpan? DefaultTtl { get; init; }

    /// <summary>Longest TTL allowed; longer requests (and no TTL at all) are clamped to it. Default null (no limit).</summary>
    public TimeSpan? MaxTtl { get; init; }

    /// <summary>Most entries the category may hold; 0 means no limit. Default 0.</summary>
    public long MaxEntries { get; init; }

    /// <summary>Most bytes (keys plus values) the category may hold; 0 means no limit. Default 0.</summary>
    public long MaxBytes { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (DefaultTtl is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultTtl), ttl, "CategoryPolicy.DefaultTtl must be positive or null.");
        }

        if (MaxTtl is { } max && max <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTtl), max, "CategoryPolicy.MaxTtl must be positive or null.");
        }

        if (MaxEntries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntries), MaxEntries, "CategoryPolicy.MaxEntries must be 0 (no limit) or positive.");
        }

        if (MaxBytes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytes), MaxBytes, "CategoryPolicy.MaxBytes must be 0 (no limit) or positive.");
        }
    }
}
