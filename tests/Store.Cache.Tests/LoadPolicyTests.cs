using Store.Cache.Tests.Support;

namespace Store.Cache.Tests;

public sealed class LoadPolicyTests
{
    private static SemanticCacheOptions Options() => new()
    {
        Dimension = CacheFixture.Dimension,
        Load = new CacheLoadOptions { HighWater = 0.8, LowWater = 0.5, ThresholdRelaxation = 0.1, TtlExtension = 3 },
        Categories = new Dictionary<string, CachePolicy>
        {
            ["chat"] = new() { Threshold = 0.85, MinThreshold = 0.8, DefaultTtl = TimeSpan.FromMinutes(10), MaxTtl = TimeSpan.FromMinutes(20) },
            ["health"] = new() { Threshold = 0.95, MinThreshold = 0.9, Strict = true, DefaultTtl = TimeSpan.FromMinutes(10), MaxTtl = TimeSpan.FromHours(1) },
        },
    };

    [Fact]
    public void Relaxes_above_high_water_with_hysteresis()
    {
        using var f = new CacheFixture(Options());
        float[] v = f.Vectors.Next();
        f.Store("chat", "x", v, "X");
        float[] at82 = f.Vectors.At(v, 0.82);
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("chat", "y", at82).Status);

        Assert.False(f.Cache.ReportLoad(0.79).Relaxed);
        Assert.True(f.Cache.ReportLoad(0.8).Relaxed);

        // Relaxed by 0.1 but floored at the category's minimum 0.8.
        CacheLookupResult relaxed = f.Lookup("chat", "y", at82);
        Assert.Equal(CacheLookupStatus.SemanticHit, relaxed.Status);
        Assert.Equal(0.8, relaxed.Threshold, 6);

        Assert.True(f.Cache.ReportLoad(0.6).Relaxed); // between the marks: holds
        Assert.True(f.Lookup("chat", "y", at82).IsHit);
        Assert.False(f.Cache.ReportLoad(0.5).Relaxed); // at the low-water mark: back to normal
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("chat", "y", at82).Status);
        Assert.False(f.Cache.ReportLoad(0.7).Relaxed); // between the marks again: holds normal
        Assert.Equal(0.85, f.Lookup("chat", "y", at82).Threshold);
        Assert.True(f.Cache.ReportLoad(5).Relaxed); // above 1 counts as 1
        Assert.Equal(1, f.Cache.LoadState.Load);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Cache.ReportLoad(double.NaN));
    }

    [Fact]
    public void Extends_ttls_while_relaxed_up_to_the_maximum()
    {
        using var f = new CacheFixture(Options());
        Assert.Equal(TimeSpan.FromMinutes(10), f.Store("chat", "a", f.Vectors.Next(), "A").Ttl);
        f.Cache.ReportLoad(0.9);
        Assert.Equal(TimeSpan.FromMinutes(20), f.Store("chat", "b", f.Vectors.Next(), "B").Ttl); // 30 clamped to 20
        Assert.Equal(TimeSpan.FromMinutes(6), f.Store("chat", "c", f.Vectors.Next(), "C", ttl: TimeSpan.FromMinutes(2)).Ttl);
        f.Cache.ReportLoad(0.1);
        Assert.Equal(TimeSpan.FromMinutes(2), f.Store("chat", "d", f.Vectors.Next(), "D", ttl: TimeSpan.FromMinutes(2)).Ttl);
    }

    [Fact]
    public void Never_relaxes_strict_categories()
    {
        using var f = new CacheFixture(Options());
        float[] v = f.Vectors.Next();
        f.Store("health", "dose", v, "ask a doctor");
        f.Cache.ReportLoad(1.0);

        CacheLookupResult lookup = f.Lookup("health", "dosage", f.Vectors.At(v, 0.93));
        Assert.Equal(CacheLookupStatus.Miss, lookup.Status);
        Assert.Equal(0.95, lookup.Threshold);
        Assert.Equal(TimeSpan.FromMinutes(10), f.Store("health", "other", f.Vectors.Next(), "x").Ttl);
    }

    [Fact]
    public void Load_options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheLoadOptions { HighWater = 0.5, LowWater = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new CacheLoadOptions { TtlExtension = 0.5 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SemanticCacheOptions { Dimension = 0 }.Validate());
    }
}
