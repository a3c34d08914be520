using Store.Vectors;

namespace Store.Cache;

/// <summary>Settings of a semantic cache. Every property has a documented default; <see cref="Validate"/> runs at open.</summary>
public sealed class SemanticCacheOptions
{
    /// <summary>Components of every prompt vector (1..16,384); fixed when the cache is first created. Required.</summary>
    public int Dimension { get; init; }

    /// <summary>Policies of the named categories at open; change them later with <see cref="ISemanticCache.SetPolicyAsync"/>. Default none.</summary>
    public IReadOnlyDictionary<string, CachePolicy> Categories { get; init; } = new Dictionary<string, CachePolicy>();

    /// <summary>Policy of categories not named in <see cref="Categories"/>. Default <see cref="CachePolicy"/> defaults.</summary>
    public CachePolicy DefaultPolicy { get; init; } = new();

    /// <summary>The adaptive load policy. Default <see cref="CacheLoadOptions"/> defaults.</summary>
    public CacheLoadOptions Load { get; init; } = new();

    /// <summary>Graph parameters of each partition and category's HNSW. Default M 16, efConstruction 200, efSearch 64.</summary>
    public HnswOptions Hnsw { get; init; } = new();

    /// <summary>
    /// A partition and category is scanned exactly (no graph) until it holds this many vectors, then
    /// gets its own HNSW; small partitions cost no graph memory. 16..65,536. Default 1,024.
    /// </summary>
    public int GraphThreshold { get; init; } = 1024;

    /// <summary>Nearest neighbours examined per lookup (the first unexpired one at or over the threshold wins), 1..256. Default 8.</summary>
    public int Candidates { get; init; } = 8;

    /// <summary>Entries sampled per eviction once a category holds more than this (below it, every entry is considered), 4..1,024. Default 32.</summary>
    public int EvictionSample { get; init; } = 32;

    /// <summary>Seed of the eviction sampler, so tests repeat. Default 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Check(Dimension is >= 1 and <= VectorSpace.MaxDimension, nameof(Dimension), Dimension, $"must be from 1 to {VectorSpace.MaxDimension}");
        Check(GraphThreshold is >= 16 and <= 65_536, nameof(GraphThreshold), GraphThreshold, "must be from 16 to 65,536");
        Check(Candidates is >= 1 and <= 256, nameof(Candidates), Candidates, "must be from 1 to 256");
        Check(EvictionSample is >= 4 and <= 1024, nameof(EvictionSample), EvictionSample, "must be from 4 to 1,024");
        ArgumentNullException.ThrowIfNull(Categories, nameof(Categories));
        ArgumentNullException.ThrowIfNull(DefaultPolicy, nameof(DefaultPolicy));
        ArgumentNullException.ThrowIfNull(Load, nameof(Load));
        ArgumentNullException.ThrowIfNull(Hnsw, nameof(Hnsw));
        DefaultPolicy.Validate();
        Load.Validate();
        Hnsw.Validate(nameof(SemanticCacheOptions) + "." + nameof(Hnsw));
        foreach ((string name, CachePolicy policy) in Categories)
        {
            CacheNames.CheckCategory(name, nameof(Categories));
            ArgumentNullException.ThrowIfNull(policy, nameof(Categories));
            policy.Validate();
        }
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(SemanticCacheOptions)}.{field} {rule}.");
        }
    }
}
