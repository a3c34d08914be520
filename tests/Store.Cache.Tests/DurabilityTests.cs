using System.Text;
using Store.Cache.Tests.Support;
using Store.Vectors;

namespace Store.Cache.Tests;

public sealed class DurabilityTests
{
    [Fact]
    public void Reopen_keeps_entries_vectors_and_drops_expired_ones()
    {
        using var f = new CacheFixture(new SemanticCacheOptions { Dimension = CacheFixture.Dimension, GraphThreshold = 16 });
        var vectors = new List<float[]>();
        for (int i = 0; i < 40; i++)
        {
            vectors.Add(f.Vectors.Next());
            f.Store(i % 2 == 0 ? "even" : "odd", $"p{i}", vectors[i], $"r{i}", ttl: i < 5 ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1));
        }

        f.Cache.Invalidate(f.Lookup("even", "p10", vectors[10]).EntryId);
        f.Clock.Advance(TimeSpan.FromMinutes(2));
        f.Reopen();

        Assert.Equal(34, f.Cache.Count);
        for (int i = 5; i < 40; i++)
        {
            CacheLookupResult hit = f.Lookup(i % 2 == 0 ? "even" : "odd", $"paraphrase {i}", f.Vectors.At(vectors[i], 0.98));
            if (i == 10)
            {
                Assert.False(hit.IsHit);
                continue;
            }

            Assert.Equal(CacheLookupStatus.SemanticHit, hit.Status);
            Assert.Equal($"r{i}", Encoding.UTF8.GetString(hit.Response.Span));
        }

        Assert.False(f.Lookup("even", "p0", vectors[0]).IsHit);
        long newId = f.Store("even", "fresh", f.Vectors.Next(), "x").EntryId;
        Assert.True(newId > 40);
    }

    [Fact]
    public void Wrong_dimensions_are_refused()
    {
        using var f = new CacheFixture();
        var exception = Assert.Throws<VectorDimensionException>(() => f.Store("c", "p", new float[CacheFixture.Dimension + 1], "x"));
        Assert.Equal(CacheFixture.Dimension, exception.Expected);
        Assert.Throws<VectorDimensionException>(() => f.Lookup("c", "p", new float[3]));
        Assert.Throws<InvalidVectorException>(() => f.Store("c", "p", new float[CacheFixture.Dimension], "zero vector"));

        Assert.Throws<ArgumentOutOfRangeException>(() => f.Reopen(new SemanticCacheOptions { Dimension = 32 }));
    }

    [Fact]
    public void A_cache_opens_once_and_names_are_checked()
    {
        using var f = new CacheFixture();
        Assert.Throws<InvalidOperationException>(() => f.Database.OpenSemanticCache("answers", f.Options));
        Assert.Throws<ArgumentException>(() => f.Database.OpenSemanticCache("bad/name", f.Options));
        Assert.DoesNotContain(f.Database.Keyspaces, k => k.Contains("cache", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => f.Lookup("bad/category", "p", f.Vectors.Next()));
    }

    [Fact]
    public void Metrics_count_hits_misses_and_histograms()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        f.Store("m", "p", v, "x");
        f.Lookup("m", "p", v);
        f.Lookup("m", "q", f.Vectors.At(v, 0.93));
        f.Lookup("m", "r", f.Vectors.At(v, 0.2));

        CacheMetricsSnapshot snapshot = f.Cache.GetMetrics();
        CategoryMetricsSnapshot m = snapshot.Categories["m"];
        Assert.Equal(1, m.ExactHits);
        Assert.Equal(1, m.SemanticHits);
        Assert.Equal(1, m.Misses);
        Assert.Equal(1, m.Stores);
        Assert.Equal(1, m.Entries);
        Assert.Equal(3, m.LatencyHistogram.Sum());
        Assert.Equal(2, m.SimilarityHistogram.Sum());
        Assert.Equal(1, m.SimilarityHistogram[18]); // 0.93 falls in (0.90, 0.95]
        Assert.Equal(snapshot.SimilarityBucketUpperBounds.Count, m.SimilarityHistogram.Count);
        Assert.Equal(snapshot.LatencyBucketUpperBoundsMicroseconds.Count, m.LatencyHistogram.Count);
    }
}
