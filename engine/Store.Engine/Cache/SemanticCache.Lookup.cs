using System.Buffers;
using System.Diagnostics;

namespace Store.Cache;

public sealed partial class SemanticCache
{
    private const int StackCodeBytes = 4096;

    /// <summary>
    /// Looks a prompt up within its partition and category: the exact key first (per the mode), then
    /// the nearest neighbours; the first unexpired one at or over the effective threshold answers, and
    /// its response is read from the KV tier. Expired entries met on the way are removed.
    /// </summary>
    /// <exception cref="Store.Vectors.VectorDimensionException">The vector's length is not <see cref="Dimension"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The request's threshold is not a number from 0 to 1.</exception>
    public CacheLookupResult Lookup(in CacheQuery query)
    {
        ThrowIfDisposed();
        long started = Stopwatch.GetTimestamp();
        ArgumentNullException.ThrowIfNull(query.Partition);
        ArgumentNullException.ThrowIfNull(query.Prompt);
        CheckDimension(Dimension, query.Vector.Length);
        if (query.MinSimilarity is { } requested && !(requested is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(query), requested, "CacheQuery.MinSimilarity must be from 0 to 1 (or null).");
        }

        CategoryState category = Category(query.Category);
        CachePolicy policy = category.Policy;
        var result = new CacheLookupResult
        {
            Status = CacheLookupStatus.Miss,
            Category = category.Name,
            Similarity = double.NaN,
            NearestMissSimilarity = double.NaN,
            Threshold = EffectiveThreshold(policy, query.MinSimilarity),
        };
        if (policy.Mode == CacheMode.Off)
        {
            result = result with { Status = CacheLookupStatus.Bypassed };
        }
        else if (_slices.TryGetValue(new SliceKey(query.Partition.Key, category.Name), out VectorSlice? slice))
        {
            long now = NowMs;
            if (policy.Mode != CacheMode.Semantic)
            {
                result = LookupExact(slice, query.Prompt, now, result);
            }

            if (!result.IsHit && policy.Mode != CacheMode.Exact)
            {
                result = LookupNearest(slice, query.Vector.Span, now, result, category.Metrics);
            }
        }

        category.Metrics.Lookup(result.Status, started);
        return result;
    }

    /// <inheritdoc/>
    public ValueTask<CacheLookupResult> LookupAsync(CacheQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Lookup(query));
    }

    /// <summary>The threshold in force: the policy's, relaxed under load (never below its minimum, never for strict categories), raised by the request up to the maximum.</summary>
    private double EffectiveThreshold(CachePolicy policy, double? requested)
    {
        double threshold = policy.Threshold;
        if (_load.Relaxed && !policy.Strict)
        {
            threshold = Math.Max(policy.MinThreshold, threshold - _options.Load.ThresholdRelaxation);
        }

        if (requested is { } stricter && stricter > threshold)
        {
            threshold = Math.Min(stricter, policy.MaxThreshold);
        }

        return threshold;
    }

    private CacheLookupResult LookupExact(VectorSlice slice, string prompt, long now, CacheLookupResult result)
    {
        if (!slice.Exact.TryGetValue(PromptKey.Of(prompt), out CachedEntry? entry) || entry.IsRemoved)
        {
            return result;
        }

        if (entry.IsExpired(now))
        {
            Remove(entry, CacheRemovalReason.Expired);
            return result with { Status = CacheLookupStatus.StaleMiss, NearestMissSimilarity = 1 };
        }

        return TryAnswer(entry, 1, now, CacheLookupStatus.ExactHit, result) ?? result;
    }

    private CacheLookupResult LookupNearest(VectorSlice slice, ReadOnlySpan<float> vector, long now, CacheLookupResult result, CategoryMetrics metrics)
    {
        int size = _space.CodeSize;
        byte[]? rented = size > StackCodeBytes ? ArrayPool<byte>.Shared.Rent(size) : null;
        Span<byte> code = rented is null ? stackalloc byte[StackCodeBytes] : rented;
        _space.Encode(vector, code);
        int k = _options.Candidates;
        Span<float> distances = stackalloc float[k];
        Span<int> nodes = stackalloc int[k];
        int found = slice.Search(code[..size], Math.Max(_options.Hnsw.EfSearch, k), distances, nodes);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        bool sawStale = result.Status == CacheLookupStatus.StaleMiss;
        bool measured = false;
        for (int i = 0; i < found; i++)
        {
            CachedEntry entry = slice.EntryAt(nodes[i]);
            if (entry.IsRemoved)
            {
                continue;
            }

            double similarity = Math.Clamp(1 - distances[i], -1, 1);
            if (!measured)
            {
                metrics.Similarity(similarity);
                measured = true;
            }

            if (similarity < result.Threshold)
            {
                // Nearest first: nothing further on can pass either.
                return Missed(result, similarity, sawStale);
            }

            if (entry.IsExpired(now))
            {
                Remove(entry, CacheRemovalReason.Expired);
                sawStale = true;
                result = result with { NearestMissSimilarity = Max(result.NearestMissSimilarity, similarity) };
                continue;
            }

            if (TryAnswer(entry, similarity, now, CacheLookupStatus.SemanticHit, result) is { } hit)
            {
                return hit;
            }
        }

        return sawStale ? result with { Status = CacheLookupStatus.StaleMiss } : result;
    }

    /// <summary>Reads the entry's answer from the KV tier; null (and the entry removed) if it has gone.</summary>
    private CacheLookupResult? TryAnswer(CachedEntry entry, double similarity, long now, CacheLookupStatus status, CacheLookupResult result)
    {
        Span<byte> key = stackalloc byte[CacheRecords.KeyLength];
        CacheRecords.WriteKey(CacheRecords.ResponseTag, entry.Id, key);
        byte[]? value = _records.Get(key);
        if (value is null || !CacheRecords.TryReadResponse(value, out ReadOnlyMemory<byte> metadata, out ReadOnlyMemory<byte> response))
        {
            Remove(entry, CacheRemovalReason.Lost);
            return null;
        }

        entry.Hit(now);
        return result with
        {
            Status = status,
            EntryId = entry.Id,
            Response = response,
            Metadata = metadata,
            Similarity = similarity,
            Age = TimeSpan.FromMilliseconds(Math.Max(0, now - entry.CreatedMs)),
        };
    }

    private static CacheLookupResult Missed(CacheLookupResult result, double similarity, bool sawStale) => result with
    {
        Status = sawStale ? CacheLookupStatus.StaleMiss : CacheLookupStatus.Miss,
        NearestMissSimilarity = Max(result.NearestMissSimilarity, similarity),
    };

    private static double Max(double a, double b) => double.IsNaN(a) ? b : Math.Max(a, b);
}
