using System.Diagnostics;

namespace Store.Cache;

/// <summary>Live counters of one category: plain longs bumped with <see cref="Interlocked"/>, read into a snapshot.</summary>
internal sealed class CategoryMetrics
{
    public const int SimilarityBuckets = 20;
    public const int LatencyBuckets = 22;

    private readonly long[] _lookups = new long[Enum.GetValues<CacheLookupStatus>().Length];
    private readonly long[] _removals = new long[Enum.GetValues<CacheRemovalReason>().Length];
    private readonly long[] _similarity = new long[SimilarityBuckets];
    private readonly long[] _latency = new long[LatencyBuckets];
    private long _stores;

    /// <summary>Upper bounds 0.05, 0.10 .. 1.0.</summary>
    public static IReadOnlyList<double> SimilarityBounds { get; } = [.. Enumerable.Range(1, SimilarityBuckets).Select(i => i / (double)SimilarityBuckets)];

    /// <summary>Upper bounds 1, 2, 4 .. 2^20 µs, then +infinity.</summary>
    public static IReadOnlyList<double> LatencyBounds { get; } =
        [.. Enumerable.Range(0, LatencyBuckets - 1).Select(i => (double)(1L << i)), double.PositiveInfinity];

    public void Lookup(CacheLookupStatus status, long startTimestamp)
    {
        Interlocked.Increment(ref _lookups[(int)status]);
        double micros = Stopwatch.GetElapsedTime(startTimestamp).Ticks / 10.0;
        int bucket = micros <= 1 ? 0 : Math.Min(LatencyBuckets - 1, (int)Math.Ceiling(Math.Log2(micros)));
        Interlocked.Increment(ref _latency[bucket]);
    }

    public void Similarity(double similarity)
    {
        int bucket = Math.Clamp((int)Math.Ceiling(similarity * SimilarityBuckets) - 1, 0, SimilarityBuckets - 1);
        Interlocked.Increment(ref _similarity[bucket]);
    }

    public void Stored() => Interlocked.Increment(ref _stores);

    public void Removed(CacheRemovalReason reason) => Interlocked.Increment(ref _removals[(int)reason]);

    public CategoryMetricsSnapshot Snapshot(CachePolicy policy, long entries, long bytes) => new()
    {
        ExactHits = Read(_lookups, CacheLookupStatus.ExactHit),
        SemanticHits = Read(_lookups, CacheLookupStatus.SemanticHit),
        Misses = Read(_lookups, CacheLookupStatus.Miss),
        StaleMisses = Read(_lookups, CacheLookupStatus.StaleMiss),
        Bypassed = Read(_lookups, CacheLookupStatus.Bypassed),
        Stores = Interlocked.Read(ref _stores),
        Removals = Enum.GetValues<CacheRemovalReason>().ToDictionary(r => r, r => Interlocked.Read(ref _removals[(int)r])),
        SimilarityHistogram = [.. _similarity.Select((_, i) => Interlocked.Read(ref _similarity[i]))],
        LatencyHistogram = [.. _latency.Select((_, i) => Interlocked.Read(ref _latency[i]))],
        Entries = entries,
        Bytes = bytes,
        Policy = policy,
    };

    private static long Read(long[] counters, CacheLookupStatus status) => Interlocked.Read(ref counters[(int)status]);
}
