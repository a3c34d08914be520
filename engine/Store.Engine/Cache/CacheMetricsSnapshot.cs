namespace Store.Cache;

/// <summary>Why an entry left the cache.</summary>
public enum CacheRemovalReason
{
    /// <summary>Its TTL passed (found by a lookup or a sweep).</summary>
    Expired,

    /// <summary>The category held more entries than its quota.</summary>
    EntryQuota,

    /// <summary>The category held more bytes than its quota.</summary>
    ByteQuota,

    /// <summary>Removed by id, partition or category.</summary>
    Invalidated,

    /// <summary>A store of the same normalized prompt in the same partition and category replaced it.</summary>
    Replaced,

    /// <summary>Its response had gone from the KV tier (removed there behind the cache's back).</summary>
    Lost,
}

/// <summary>Metrics of every category of a cache at one moment.</summary>
/// <param name="Categories">Per category, by name.</param>
/// <param name="Load">The adaptive load policy's state.</param>
/// <param name="SimilarityBucketUpperBounds">Upper bounds of the similarity histogram's buckets (the last is 1).</param>
/// <param name="LatencyBucketUpperBoundsMicroseconds">Upper bounds of the latency histogram's buckets in µs (the last is +infinity).</param>
public sealed record CacheMetricsSnapshot(
    IReadOnlyDictionary<string, CategoryMetricsSnapshot> Categories,
    CacheLoadState Load,
    IReadOnlyList<double> SimilarityBucketUpperBounds,
    IReadOnlyList<double> LatencyBucketUpperBoundsMicroseconds);

/// <summary>Metrics of one category.</summary>
public sealed record CategoryMetricsSnapshot
{
    /// <summary>Lookups answered by an exact prompt match.</summary>
    public long ExactHits { get; init; }

    /// <summary>Lookups answered by a neighbour.</summary>
    public long SemanticHits { get; init; }

    /// <summary>Lookups nothing answered (stale misses not included).</summary>
    public long Misses { get; init; }

    /// <summary>Lookups that only an expired entry would have answered.</summary>
    public long StaleMisses { get; init; }

    /// <summary>Lookups bypassed because the category is off.</summary>
    public long Bypassed { get; init; }

    /// <summary>Entries stored.</summary>
    public long Stores { get; init; }

    /// <summary>Entries removed, by reason.</summary>
    public required IReadOnlyDictionary<CacheRemovalReason, long> Removals { get; init; }

    /// <summary>Counts per similarity bucket of the nearest live neighbour of each semantic lookup.</summary>
    public required IReadOnlyList<long> SimilarityHistogram { get; init; }

    /// <summary>Counts per lookup latency bucket (in process, response read included).</summary>
    public required IReadOnlyList<long> LatencyHistogram { get; init; }

    /// <summary>Entries held now.</summary>
    public long Entries { get; init; }

    /// <summary>Bytes held now (prompt, vector, response, metadata).</summary>
    public long Bytes { get; init; }

    /// <summary>The policy in force.</summary>
    public required CachePolicy Policy { get; init; }
}
