using Store.Cache;
using Store.Client.Protocol;

namespace Store.Server.Sidecar;

/// <summary>A partition as JSON (docs/cache.md, "Sidecar"): the fields of <see cref="CachePartition"/>.</summary>
internal sealed class PartitionJson
{
    /// <summary>Owner; with tokens configured it may be left out (the token's tenant), else it is required.</summary>
    public string? Tenant { get; set; }

    /// <summary>Model (required).</summary>
    public string? Model { get; set; }

    /// <summary>System prompt or null.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>Tools description or null.</summary>
    public string? Tools { get; set; }

    /// <summary>Response format or null.</summary>
    public string? ResponseFormat { get; set; }

    /// <summary>Generation parameters or null.</summary>
    public string? Parameters { get; set; }

    /// <summary>Revision (default 0).</summary>
    public long Revision { get; set; }

    public PartitionFields ToFields() => new(Tenant ?? string.Empty, Model ?? string.Empty, SystemPrompt, Tools, ResponseFormat, Parameters, Revision);
}

/// <summary>POST /v1/caches/{name}/lookup.</summary>
internal sealed class LookupRequest
{
    public PartitionJson? Partition { get; set; }

    public string? Category { get; set; }

    public string? Prompt { get; set; }

    public float[]? Vector { get; set; }

    /// <summary>The vector as base64 of little-endian float32s (OpenAI's <c>encoding_format: "base64"</c>); instead of <see cref="Vector"/>.</summary>
    public byte[]? VectorBase64 { get; set; }

    public double? MinSimilarity { get; set; }
}

/// <summary>POST /v1/caches/{name}/store: exactly one of <see cref="Response"/> and <see cref="ResponseBase64"/>.</summary>
internal sealed class StoreRequest
{
    public PartitionJson? Partition { get; set; }

    public string? Category { get; set; }

    public string? Prompt { get; set; }

    public float[]? Vector { get; set; }

    /// <summary>The vector as base64 of little-endian float32s (OpenAI's <c>encoding_format: "base64"</c>); instead of <see cref="Vector"/>.</summary>
    public byte[]? VectorBase64 { get; set; }

    public string? Response { get; set; }

    public string? ResponseBase64 { get; set; }

    public string? Metadata { get; set; }

    public string? MetadataBase64 { get; set; }

    public double? TtlSeconds { get; set; }
}

/// <summary>POST /v1/caches/{name}/invalidate/entry.</summary>
internal sealed class InvalidateEntryRequest
{
    public long? EntryId { get; set; }

    public PartitionJson? Partition { get; set; }
}

/// <summary>POST /v1/caches/{name}/invalidate/partition.</summary>
internal sealed class InvalidatePartitionRequest
{
    public PartitionJson? Partition { get; set; }
}

/// <summary>POST /v1/caches/{name}/invalidate/category.</summary>
internal sealed class InvalidateCategoryRequest
{
    public string? Category { get; set; }
}

/// <summary>POST /v1/caches/{name}/load.</summary>
internal sealed class LoadRequest
{
    public double? Load { get; set; }
}

/// <summary>A policy as JSON: in a PUT, fields left out keep the value of the policy in force.</summary>
internal sealed class PolicyJson
{
    public double? Threshold { get; set; }

    public double? MinThreshold { get; set; }

    public double? MaxThreshold { get; set; }

    public double? DefaultTtlSeconds { get; set; }

    public double? MaxTtlSeconds { get; set; }

    public long? MaxEntries { get; set; }

    public long? MaxBytes { get; set; }

    public CacheMode? Mode { get; set; }

    public CacheEvictionOrder? Eviction { get; set; }

    public bool? Strict { get; set; }

    public static PolicyJson From(CachePolicy policy) => new()
    {
        Threshold = policy.Threshold,
        MinThreshold = policy.MinThreshold,
        MaxThreshold = policy.MaxThreshold,
        DefaultTtlSeconds = policy.DefaultTtl.TotalSeconds,
        MaxTtlSeconds = policy.MaxTtl.TotalSeconds,
        MaxEntries = policy.MaxEntries,
        MaxBytes = policy.MaxBytes,
        Mode = policy.Mode,
        Eviction = policy.Eviction,
        Strict = policy.Strict,
    };

    /// <summary><paramref name="current"/> with the fields this one sets (not validated here).</summary>
    public CachePolicy Over(CachePolicy current) => new()
    {
        Threshold = Threshold ?? current.Threshold,
        MinThreshold = MinThreshold ?? current.MinThreshold,
        MaxThreshold = MaxThreshold ?? current.MaxThreshold,
        DefaultTtl = DefaultTtlSeconds is { } d ? SidecarFields.Seconds(d, "defaultTtlSeconds") : current.DefaultTtl,
        MaxTtl = MaxTtlSeconds is { } m ? SidecarFields.Seconds(m, "maxTtlSeconds") : current.MaxTtl,
        MaxEntries = MaxEntries ?? current.MaxEntries,
        MaxBytes = MaxBytes ?? current.MaxBytes,
        Mode = Mode ?? current.Mode,
        Eviction = Eviction ?? current.Eviction,
        Strict = Strict ?? current.Strict,
    };
}
