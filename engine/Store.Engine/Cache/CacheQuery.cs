namespace Store.Cache;

/// <summary>A lookup: where to look (partition and category), what was asked (prompt and its vector) and how strictly.</summary>
/// <param name="Partition">The hard key: only entries of this partition can answer.</param>
/// <param name="Category">The category whose policy applies (an unknown one uses the default policy).</param>
/// <param name="Prompt">The prompt text; its normalized form (trimmed, whitespace runs collapsed) is the exact key.</param>
/// <param name="Vector">The prompt's embedding; its length must be the cache's dimension.</param>
public readonly record struct CacheQuery(CachePartition Partition, string Category, string Prompt, ReadOnlyMemory<float> Vector)
{
    /// <summary>A per-request threshold: used only when stricter than the category's (capped at its maximum); null for none.</summary>
    public double? MinSimilarity { get; init; }
}

/// <summary>A response to store, with the prompt it answers.</summary>
/// <param name="Partition">The hard key the entry belongs to.</param>
/// <param name="Category">The category whose policy applies.</param>
/// <param name="Prompt">The prompt text.</param>
/// <param name="Vector">The prompt's embedding; its length must be the cache's dimension.</param>
/// <param name="Response">The response bytes, returned as they are on a hit.</param>
public readonly record struct CacheWrite(CachePartition Partition, string Category, string Prompt, ReadOnlyMemory<float> Vector, ReadOnlyMemory<byte> Response)
{
    /// <summary>Caller's metadata, returned with the response (opaque bytes). Default empty.</summary>
    public ReadOnlyMemory<byte> Metadata { get; init; }

    /// <summary>Time to live; null for the category's default. Clamped to the category's maximum. Must be positive.</summary>
    public TimeSpan? Ttl { get; init; }
}

/// <summary>What a factory of <see cref="ISemanticCache.GetOrCreateAsync"/> produced.</summary>
/// <param name="Response">The response bytes.</param>
public readonly record struct CacheValue(ReadOnlyMemory<byte> Response)
{
    /// <summary>Metadata stored with the response. Default empty.</summary>
    public ReadOnlyMemory<byte> Metadata { get; init; }

    /// <summary>Time to live; null for the category's default (clamped to its maximum).</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>False to hand the value to the callers without storing it (an error, a tool call). Default true.</summary>
    public bool Store { get; init; } = true;
}
