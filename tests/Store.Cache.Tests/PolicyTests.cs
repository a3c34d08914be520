using System.Text;
using Store.Cache.Tests.Support;

namespace Store.Cache.Tests;

public sealed class PolicyTests
{
    private static SemanticCacheOptions WithCategories(params (string Name, CachePolicy Policy)[] categories) => new()
    {
        Dimension = CacheFixture.Dimension,
        Categories = categories.ToDictionary(c => c.Name, c => c.Policy),
    };

    [Fact]
    public void Threshold_is_per_category_and_inclusive()
    {
        using var f = new CacheFixture(WithCategories(
            ("code", new CachePolicy { Threshold = 0.95, MinThreshold = 0.9 }),
            ("chat", new CachePolicy { Threshold = 0.75, MinThreshold = 0.7 })));
        float[] code = f.Vectors.Next();
        float[] chat = f.Vectors.Next();
        f.Store("code", "sort a list in python", code, "sorted(xs)");
        f.Store("chat", "how are you", chat, "fine");

        CacheLookupResult near = f.Lookup("code", "order a python list", f.Vectors.At(code, 0.97));
        CacheLookupResult far = f.Lookup("code", "reverse a python list", f.Vectors.At(code, 0.90));
        CacheLookupResult loose = f.Lookup("chat", "how do you do", f.Vectors.At(chat, 0.80));
        CacheLookupResult tooFar = f.Lookup("chat", "what is the weather", f.Vectors.At(chat, 0.70));

        Assert.Equal(CacheLookupStatus.SemanticHit, near.Status);
        Assert.Equal("sorted(xs)", Encoding.UTF8.GetString(near.Response.Span));
        Assert.Equal(0.97, near.Similarity, 3);
        Assert.Equal(CacheLookupStatus.Miss, far.Status);
        Assert.Equal(0.90, far.NearestMissSimilarity, 3);
        Assert.Equal(0.95, far.Threshold);
        Assert.Equal(CacheLookupStatus.SemanticHit, loose.Status);
        Assert.Equal(CacheLookupStatus.Miss, tooFar.Status);
    }

    [Fact]
    public void Exact_match_ignores_whitespace_and_reports_similarity_one()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        f.Store("faq", "  What is   the refund\tpolicy? ", v, "30 days");

        // An unrelated vector: only the exact key can answer.
        CacheLookupResult hit = f.Lookup("faq", "What is the refund policy?", f.Vectors.Next());

        Assert.Equal(CacheLookupStatus.ExactHit, hit.Status);
        Assert.Equal(1, hit.Similarity);
        Assert.Equal("30 days", Encoding.UTF8.GetString(hit.Response.Span));
    }

    [Fact]
    public void Modes_decide_which_lookups_run()
    {
        using var f = new CacheFixture(WithCategories(
            ("exact", new CachePolicy { Mode = CacheMode.Exact }),
            ("semantic", new CachePolicy { Mode = CacheMode.Semantic }),
            ("off", new CachePolicy { Mode = CacheMode.Off })));
        float[] v = f.Vectors.Next();
        foreach (string category in new[] { "exact", "semantic", "off" })
        {
            f.Store(category, "prompt", v, category);
        }

        Assert.Equal(CacheLookupStatus.ExactHit, f.Lookup("exact", "prompt", f.Vectors.Next()).Status);
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("exact", "paraphrase", f.Vectors.At(v, 0.99)).Status);
        Assert.Equal(CacheLookupStatus.SemanticHit, f.Lookup("semantic", "paraphrase", f.Vectors.At(v, 0.99)).Status);
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("semantic", "prompt", f.Vectors.Next()).Status);
        Assert.Equal(CacheLookupStatus.Bypassed, f.Lookup("off", "prompt", v).Status);
        Assert.False(f.Store("off", "prompt", v, "x").Stored);
        Assert.Equal(2, f.Cache.Count);
    }

    [Fact]
    public void Ttl_defaults_clamps_and_expires_on_the_clock()
    {
        using var f = new CacheFixture(WithCategories(
            ("news", new CachePolicy { DefaultTtl = TimeSpan.FromMinutes(5), MaxTtl = TimeSpan.FromMinutes(10) })));
        float[] a = f.Vectors.Next();
        float[] b = f.Vectors.Next();

        Assert.Equal(TimeSpan.FromMinutes(5), f.Store("news", "a", a, "A").Ttl);
        Assert.Equal(TimeSpan.FromMinutes(10), f.Store("news", "b", b, "B", ttl: TimeSpan.FromDays(3)).Ttl);

        f.Clock.Advance(TimeSpan.FromMinutes(4));
        CacheLookupResult young = f.Lookup("news", "a", a);
        Assert.Equal(CacheLookupStatus.ExactHit, young.Status);
        Assert.Equal(TimeSpan.FromMinutes(4), young.Age);

        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(CacheLookupStatus.StaleMiss, f.Lookup("news", "a", a).Status);
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("news", "a", a).Status); // the stale entry is gone now
        Assert.Equal(CacheLookupStatus.SemanticHit, f.Lookup("news", "b again", b).Status);

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(CacheLookupStatus.StaleMiss, f.Lookup("news", "b again", b).Status);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Store("news", "c", a, "C", ttl: TimeSpan.Zero));
    }

    [Theory]
    [InlineData(CacheEvictionOrder.LeastRecentlyUsed, "b")]
    [InlineData(CacheEvictionOrder.LeastFrequentlyUsed, "c")]
    [InlineData(CacheEvictionOrder.Oldest, "a")]
    public void Entry_quota_evicts_by_the_category_order(CacheEvictionOrder order, string victim)
    {
        using var f = new CacheFixture(WithCategories(("q", new CachePolicy { MaxEntries = 3, Eviction = order })));
        var vectors = new Dictionary<string, float[]>();
        void Put(string name)
        {
            vectors[name] = f.Vectors.Next();
            f.Store("q", name, vectors[name], name);
            f.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        // a: oldest, hit twice last; b: hit once before c was stored (least recent); c: never hit (least frequent).
        Put("a");
        Put("b");
        f.Lookup("q", "b", vectors["b"]);
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        Put("c");
        f.Lookup("q", "a", vectors["a"]);
        f.Lookup("q", "a", vectors["a"]);
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        Put("d");

        Assert.Equal(3, f.Cache.Count);
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("q", victim, f.Vectors.Next()).Status);
        foreach (string kept in new[] { "a", "b", "c" }.Where(n => n != victim))
        {
            Assert.True(f.Lookup("q", kept, f.Vectors.Next()).IsHit, kept);
        }

        CategoryMetricsSnapshot metrics = f.Cache.GetMetrics().Categories["q"];
        Assert.Equal(1, metrics.Removals[CacheRemovalReason.EntryQuota]);
        Assert.Equal(3, metrics.Entries);
    }

    [Fact]
    public void Byte_quota_and_expired_first()
    {
        int entryBytes = 1 + (CacheFixture.Dimension * 4) + 4 + 100;
        using var f = new CacheFixture(WithCategories(("q", new CachePolicy { MaxBytes = entryBytes * 2, DefaultTtl = TimeSpan.FromMinutes(1) })));
        string response = new('x', 100);
        f.Store("q", "a", f.Vectors.Next(), response, ttl: TimeSpan.FromSeconds(10));
        f.Clock.Advance(TimeSpan.FromSeconds(1));
        f.Store("q", "b", f.Vectors.Next(), response);
        f.Clock.Advance(TimeSpan.FromSeconds(20)); // a expired, b is the least recently used but alive
        f.Store("q", "c", f.Vectors.Next(), response);

        CategoryMetricsSnapshot metrics = f.Cache.GetMetrics().Categories["q"];
        Assert.Equal(1, metrics.Removals[CacheRemovalReason.Expired]);
        Assert.Equal(0, metrics.Removals[CacheRemovalReason.ByteQuota]);
        Assert.True(f.Lookup("q", "b", f.Vectors.Next()).IsHit);

        f.Store("q", "d", f.Vectors.Next(), response);
        Assert.Equal(1, f.Cache.GetMetrics().Categories["q"].Removals[CacheRemovalReason.ByteQuota]);
        Assert.Equal(2 * entryBytes, f.Cache.GetMetrics().Categories["q"].Bytes);
    }

    [Fact]
    public void Policies_change_at_run_time_and_are_validated()
    {
        using var f = new CacheFixture();
        float[] v = f.Vectors.Next();
        f.Store("p", "x", v, "X");
        float[] paraphrase = f.Vectors.At(v, 0.9);
        Assert.Equal(CacheLookupStatus.SemanticHit, f.Lookup("p", "y", paraphrase).Status);

        f.Cache.SetPolicy("p", new CachePolicy { Threshold = 0.95, MinThreshold = 0.9 });
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("p", "y", paraphrase).Status);
        Assert.Equal(0.95, f.Cache.GetPolicy("p").Threshold);

        Assert.Throws<ArgumentOutOfRangeException>(() => f.Cache.SetPolicy("p", new CachePolicy { Threshold = 1.2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Cache.SetPolicy("p", new CachePolicy { Threshold = 0.5, MinThreshold = 0.6 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Cache.SetPolicy("p", new CachePolicy { DefaultTtl = TimeSpan.FromHours(2), MaxTtl = TimeSpan.FromHours(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Cache.SetPolicy("p", new CachePolicy { Threshold = double.NaN }));

        f.Store("p", "z", f.Vectors.Next(), "Z");
        f.Cache.SetPolicy("p", new CachePolicy { MaxEntries = 1 });
        Assert.Equal(1, f.Cache.Count);
    }

    [Fact]
    public void Overrides_only_make_the_threshold_stricter()
    {
        using var f = new CacheFixture(WithCategories(("p", new CachePolicy { Threshold = 0.8, MinThreshold = 0.7, MaxThreshold = 0.97 })));
        float[] v = f.Vectors.Next();
        f.Store("p", "x", v, "X");
        float[] at85 = f.Vectors.At(v, 0.85);

        CacheLookupResult looser = f.Lookup("p", "y", f.Vectors.At(v, 0.75), minSimilarity: 0.5);
        Assert.Equal(CacheLookupStatus.Miss, looser.Status);
        Assert.Equal(0.8, looser.Threshold);

        CacheLookupResult stricter = f.Lookup("p", "y", at85, minSimilarity: 0.9);
        Assert.Equal(CacheLookupStatus.Miss, stricter.Status);
        Assert.Equal(0.9, stricter.Threshold);
        Assert.True(f.Lookup("p", "y", at85).IsHit);

        Assert.Equal(0.97, f.Lookup("p", "y", at85, minSimilarity: 1.0).Threshold);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Lookup("p", "y", at85, minSimilarity: double.NaN));
    }

    [Fact]
    public void Invalidation_by_id_partition_and_category()
    {
        using var f = new CacheFixture();
        CachePartition other = CacheFixture.Partition("globex");
        float[] v = f.Vectors.Next();
        long id = f.Store("a", "p1", v, "1").EntryId;
        f.Store("a", "p2", f.Vectors.Next(), "2");
        f.Store("b", "p3", f.Vectors.Next(), "3");
        f.Store("a", "p1", v, "4", partition: other);

        Assert.True(f.Cache.Invalidate(id));
        Assert.False(f.Cache.Invalidate(id));
        Assert.Equal(CacheLookupStatus.Miss, f.Lookup("a", "p1", v).Status);
        Assert.Equal(1, f.Cache.InvalidateCategory("b"));
        Assert.Equal(1, f.Cache.InvalidatePartition(other));
        Assert.Equal(1, f.Cache.Count);
        Assert.Equal(3, f.Cache.GetMetrics().Categories.Values.Sum(c => c.Removals[CacheRemovalReason.Invalidated]));
    }
}
