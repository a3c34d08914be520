namespace Store.Cache;

/// <summary>
/// The rules of one category, after "Category-Aware Semantic Caching": how similar a prompt must be
/// to reuse an answer, how long answers live, how many the category may hold and what it evicts first.
/// Immutable; replace it at run time with <see cref="ISemanticCache.SetPolicyAsync"/>.
/// </summary>
public sealed record CachePolicy
{
    /// <summary>Cosine similarity at or over which a neighbour is a hit, 0..1. Default 0.85.</summary>
    public double Threshold { get; init; } = 0.85;

    /// <summary>Lowest threshold the adaptive load policy may relax to, 0..<see cref="Threshold"/>. Default 0.8.</summary>
    public double MinThreshold { get; init; } = 0.8;

    /// <summary>Highest threshold a per-request override may ask for, <see cref="Threshold"/>..1. Default 1.</summary>
    public double MaxThreshold { get; init; } = 1.0;

    /// <summary>TTL of entries stored without one. Default 1 hour.</summary>
    public TimeSpan DefaultTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Longest TTL: longer requests (and load extensions) are clamped to it. Default 24 hours.</summary>
    public TimeSpan MaxTtl { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Most entries the category may hold (per cache, over all partitions); 0 means no limit. Default 0.</summary>
    public long MaxEntries { get; init; }

    /// <summary>Most bytes (prompt, vector, response, metadata) the category may hold; 0 means no limit. Default 0.</summary>
    public long MaxBytes { get; init; }

    /// <summary>How lookups are answered. Default <see cref="CacheMode.ExactThenSemantic"/>.</summary>
    public CacheMode Mode { get; init; } = CacheMode.ExactThenSemantic;

    /// <summary>What goes first over quota. Default <see cref="CacheEvictionOrder.LeastRecentlyUsed"/>.</summary>
    public CacheEvictionOrder Eviction { get; init; } = CacheEvictionOrder.LeastRecentlyUsed;

    /// <summary>True for categories whose threshold and TTL the load policy must never relax (e.g. health, finance). Default false.</summary>
    public bool Strict { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Check(double.IsFinite(Threshold) && Threshold is >= 0 and <= 1, nameof(Threshold), Threshold, "must be from 0 to 1");
        Check(double.IsFinite(MinThreshold) && MinThreshold >= 0 && MinThreshold <= Threshold, nameof(MinThreshold), MinThreshold, "must be from 0 to Threshold");
        Check(double.IsFinite(MaxThreshold) && MaxThreshold >= Threshold && MaxThreshold <= 1, nameof(MaxThreshold), MaxThreshold, "must be from Threshold to 1");
        Check(DefaultTtl > TimeSpan.Zero, nameof(DefaultTtl), DefaultTtl, "must be positive");
        Check(MaxTtl >= DefaultTtl, nameof(MaxTtl), MaxTtl, "must be at least DefaultTtl");
        Check(MaxEntries >= 0, nameof(MaxEntries), MaxEntries, "must be 0 (no limit) or positive");
        Check(MaxBytes >= 0, nameof(MaxBytes), MaxBytes, "must be 0 (no limit) or positive");
        Check(Enum.IsDefined(Mode), nameof(Mode), Mode, "must be ExactThenSemantic, Exact, Semantic or Off");
        Check(Enum.IsDefined(Eviction), nameof(Eviction), Eviction, "must be LeastRecentlyUsed, LeastFrequentlyUsed or Oldest");
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(CachePolicy)}.{field} {rule}.");
        }
    }
}
