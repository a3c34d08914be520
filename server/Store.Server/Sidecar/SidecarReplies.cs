using System.Text;
using Store.Cache;

namespace Store.Server.Sidecar;

/// <summary>Reply of a lookup. Response and metadata come as text when they are valid UTF-8, else base64.</summary>
internal sealed class LookupReply
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public required CacheLookupStatus Status { get; init; }

    public bool Hit { get; init; }

    public required string Category { get; init; }

    public long? EntryId { get; init; }

    public string? Response { get; init; }

    public string? ResponseBase64 { get; init; }

    public string? Metadata { get; init; }

    public string? MetadataBase64 { get; init; }

    public double? Similarity { get; init; }

    public double? NearestMissSimilarity { get; init; }

    public double Threshold { get; init; }

    public double? AgeSeconds { get; init; }

    public static LookupReply From(in CacheLookupResult result)
    {
        (string? response, string? responseBase64) = result.IsHit ? Encode(result.Response.Span) : (null, null);
        (string? metadata, string? metadataBase64) = result.IsHit && !result.Metadata.IsEmpty ? Encode(result.Metadata.Span) : (null, null);
        return new LookupReply
        {
            Status = result.Status,
            Hit = result.IsHit,
            Category = result.Category,
            EntryId = result.IsHit ? result.EntryId : null,
            Response = response,
            ResponseBase64 = responseBase64,
            Metadata = metadata,
            MetadataBase64 = metadataBase64,
            Similarity = double.IsNaN(result.Similarity) ? null : result.Similarity,
            NearestMissSimilarity = double.IsNaN(result.NearestMissSimilarity) ? null : result.NearestMissSimilarity,
            Threshold = result.Threshold,
            AgeSeconds = result.IsHit ? result.Age.TotalSeconds : null,
        };
    }

    private static (string? Text, string? Base64) Encode(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return (StrictUtf8.GetString(bytes), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, Convert.ToBase64String(bytes));
        }
    }
}

/// <summary>Reply of a store.</summary>
internal sealed record StoreReply(bool Stored, long EntryId, double TtlSeconds);

/// <summary>Reply of an invalidation.</summary>
internal sealed record InvalidateReply(long Removed);

/// <summary>Reply of a load report.</summary>
internal sealed record LoadReply(double Load, bool Relaxed);

/// <summary>A served cache.</summary>
internal sealed record CacheInfoReply(string Name, int Dimension, long Entries);

/// <summary>GET /v1/caches.</summary>
internal sealed record CacheListReply(IReadOnlyList<CacheInfoReply> Caches);

/// <summary>A typed error: a stable code and a message that says what to do.</summary>
internal sealed record ErrorReply(string Error, string Message);

/// <summary>Metrics of one category.</summary>
internal sealed class CategoryMetricsReply
{
    public long ExactHits { get; init; }

    public long SemanticHits { get; init; }

    public long Misses { get; init; }

    public long StaleMisses { get; init; }

    public long Bypassed { get; init; }

    public long Stores { get; init; }

    public long Entries { get; init; }

    public long Bytes { get; init; }

    public double? HitRate { get; init; }

    public required Dictionary<string, long> Removals { get; init; }

    public required IReadOnlyList<long> SimilarityHistogram { get; init; }

    public required IReadOnlyList<long> LatencyHistogram { get; init; }

    public required PolicyJson Policy { get; init; }
}

/// <summary>GET /v1/caches/{name}/metrics. The latency histogram's last bucket counts everything over the last bound.</summary>
internal sealed class MetricsReply
{
    public required string Cache { get; init; }

    public required LoadReply Load { get; init; }

    public required IReadOnlyList<double> SimilarityBucketUpperBounds { get; init; }

    public required IReadOnlyList<double> LatencyBucketUpperBoundsMicroseconds { get; init; }

    public required Dictionary<string, CategoryMetricsReply> Categories { get; init; }

    public static MetricsReply From(string cache, CacheMetricsSnapshot snapshot) => new()
    {
        Cache = cache,
        Load = new LoadReply(snapshot.Load.Load, snapshot.Load.Relaxed),
        SimilarityBucketUpperBounds = snapshot.SimilarityBucketUpperBounds,
        LatencyBucketUpperBoundsMicroseconds = [.. snapshot.LatencyBucketUpperBoundsMicroseconds.Where(double.IsFinite)],
        Categories = snapshot.Categories.ToDictionary(c => c.Key, c => Category(c.Value), StringComparer.Ordinal),
    };

    private static CategoryMetricsReply Category(CategoryMetricsSnapshot m)
    {
        long lookups = m.ExactHits + m.SemanticHits + m.Misses + m.StaleMisses;
        return new CategoryMetricsReply
        {
            ExactHits = m.ExactHits,
            SemanticHits = m.SemanticHits,
            Misses = m.Misses,
            StaleMisses = m.StaleMisses,
            Bypassed = m.Bypassed,
            Stores = m.Stores,
            Entries = m.Entries,
            Bytes = m.Bytes,
            HitRate = lookups == 0 ? null : (m.ExactHits + m.SemanticHits) / (double)lookups,
            Removals = m.Removals.ToDictionary(r => r.Key.ToString(), r => r.Value, StringComparer.Ordinal),
            SimilarityHistogram = m.SimilarityHistogram,
            LatencyHistogram = m.LatencyHistogram,
            Policy = PolicyJson.From(m.Policy),
        };
    }
}
