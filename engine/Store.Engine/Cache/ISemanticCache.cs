namespace Store.Cache;

/// <summary>
/// A category-aware semantic cache of LLM responses: entries are found by exact prompt or by
/// embedding similarity within a hard partition, under per-category thresholds, TTLs and quotas.
/// The embedded cache (<see cref="SemanticCache"/>) and a remote client implement it alike.
/// </summary>
public interface ISemanticCache : IDisposable
{
    /// <summary>The cache's name.</summary>
    string Name { get; }

    /// <summary>Components of every prompt vector.</summary>
    int Dimension { get; }

    /// <summary>Looks a prompt up: exact match, then the nearest neighbours within partition and category.</summary>
    /// <exception cref="Store.Vectors.VectorDimensionException">The vector's length is not <see cref="Dimension"/>.</exception>
    ValueTask<CacheLookupResult> LookupAsync(CacheQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stores a response for a prompt.</summary>
    /// <exception cref="Store.Vectors.VectorDimensionException">The vector's length is not <see cref="Dimension"/>.</exception>
    ValueTask<CacheStoreResult> StoreAsync(CacheWrite write, CancellationToken cancellationToken = default);

    /// <summary>
    /// Looks up; on a miss calls <paramref name="factory"/> and stores what it returns. Concurrent
    /// callers that miss with the same partition, category and normalized prompt share one factory
    /// call (single flight); its exception reaches all of them and nothing is stored.
    /// </summary>
    ValueTask<CacheFetchResult> GetOrCreateAsync(CacheQuery query, Func<CancellationToken, ValueTask<CacheValue>> factory, CancellationToken cancellationToken = default);

    /// <summary>Removes one entry; false if there was none of that id.</summary>
    ValueTask<bool> InvalidateAsync(long entryId, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry of a partition (all categories); returns how many.</summary>
    ValueTask<long> InvalidatePartitionAsync(CachePartition partition, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry of a category (all partitions); returns how many.</summary>
    ValueTask<long> InvalidateCategoryAsync(string category, CancellationToken cancellationToken = default);

    /// <summary>Replaces a category's policy; it applies from the next operation on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The policy is invalid; the message names the field.</exception>
    ValueTask SetPolicyAsync(string category, CachePolicy policy, CancellationToken cancellationToken = default);

    /// <summary>The policy in force for a category (the default policy for an unknown one).</summary>
    CachePolicy GetPolicy(string category);

    /// <summary>Reports the downstream model's load (0..1 utilisation; larger values count as 1) to the adaptive policy.</summary>
    CacheLoadState ReportLoad(double load);

    /// <summary>Counters and histograms per category, as of now.</summary>
    CacheMetricsSnapshot GetMetrics();
}
