namespace Store.Cache;

/// <summary>How a lookup ended.</summary>
public enum CacheLookupStatus
{
    /// <summary>No entry answered.</summary>
    Miss,

    /// <summary>No entry answered, but an expired one would have (it was removed).</summary>
    StaleMiss,

    /// <summary>The normalized prompt matched an entry exactly.</summary>
    ExactHit,

    /// <summary>A neighbour at or over the effective threshold answered.</summary>
    SemanticHit,

    /// <summary>The category's mode is <see cref="CacheMode.Off"/>: nothing was looked up.</summary>
    Bypassed,
}

/// <summary>Outcome of a lookup.</summary>
public readonly record struct CacheLookupResult
{
    /// <summary>How the lookup ended.</summary>
    public CacheLookupStatus Status { get; init; }

    /// <summary>True for <see cref="CacheLookupStatus.ExactHit"/> and <see cref="CacheLookupStatus.SemanticHit"/>.</summary>
    public bool IsHit => Status is CacheLookupStatus.ExactHit or CacheLookupStatus.SemanticHit;

    /// <summary>The category looked in.</summary>
    public string Category { get; init; }

    /// <summary>Id of the entry that answered (0 on a miss).</summary>
    public long EntryId { get; init; }

    /// <summary>The stored response (empty on a miss).</summary>
    public ReadOnlyMemory<byte> Response { get; init; }

    /// <summary>The stored metadata (empty on a miss).</summary>
    public ReadOnlyMemory<byte> Metadata { get; init; }

    /// <summary>Cosine similarity of the entry that answered (1 for an exact hit); NaN on a miss.</summary>
    public double Similarity { get; init; }

    /// <summary>Similarity of the nearest entry that did not answer (under the threshold or expired); NaN if none was seen.</summary>
    public double NearestMissSimilarity { get; init; }

    /// <summary>The threshold the lookup used (after load relaxation and the request's override).</summary>
    public double Threshold { get; init; }

    /// <summary>Age of the entry that answered (zero on a miss).</summary>
    public TimeSpan Age { get; init; }
}

/// <summary>Outcome of a store.</summary>
/// <param name="Stored">False when the category's mode is <see cref="CacheMode.Off"/>.</param>
/// <param name="EntryId">Id of the new entry (0 when not stored).</param>
/// <param name="Ttl">The TTL given to the entry, after clamping and load extension.</param>
public readonly record struct CacheStoreResult(bool Stored, long EntryId, TimeSpan Ttl);

/// <summary>Where the answer of <see cref="ISemanticCache.GetOrCreateAsync"/> came from.</summary>
public enum CacheFetchSource
{
    /// <summary>From the cache.</summary>
    Cache,

    /// <summary>From this caller's own factory call.</summary>
    Factory,

    /// <summary>From a factory call of a concurrent caller with the same partition, category and normalized prompt.</summary>
    SharedFactory,
}

/// <summary>Outcome of <see cref="ISemanticCache.GetOrCreateAsync"/>.</summary>
/// <param name="Source">Where the response came from.</param>
/// <param name="Response">The response.</param>
/// <param name="Metadata">Its metadata.</param>
/// <param name="Lookup">The lookup that preceded the factory call (or answered).</param>
public readonly record struct CacheFetchResult(CacheFetchSource Source, ReadOnlyMemory<byte> Response, ReadOnlyMemory<byte> Metadata, CacheLookupResult Lookup);

/// <summary>State of the adaptive load policy.</summary>
/// <param name="Load">The last load reported (0..1).</param>
/// <param name="Relaxed">True while thresholds are relaxed and TTLs extended.</param>
public readonly record struct CacheLoadState(double Load, bool Relaxed);
