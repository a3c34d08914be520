using Microsoft.Extensions.Caching.Distributed;
using Store.Cache.Tests.Support;
using Store.Extensions.Caching;

namespace Store.Cache.Tests;

public sealed class DistributedCacheTests
{
    private static KvDistributedCache Open(CacheFixture f) => new(f.Database, new KvDistributedCacheOptions { TimeProvider = f.Clock });

    [Fact]
    public async Task Absolute_expiry_is_not_extended_by_reads()
    {
        using var f = new CacheFixture();
        KvDistributedCache cache = Open(f);
        await cache.SetAsync("k", [1, 2, 3], new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });

        f.Clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(new byte[] { 1, 2, 3 }, await cache.GetAsync("k"));
        await cache.RefreshAsync("k");
        f.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await cache.GetAsync("k"));
    }

    [Fact]
    public void Sliding_expiry_moves_with_reads_and_refreshes()
    {
        using var f = new CacheFixture();
        KvDistributedCache cache = Open(f);
        cache.Set("k", [7], new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(5) });

        for (int i = 0; i < 4; i++)
        {
            f.Clock.Advance(TimeSpan.FromMinutes(4));
            Assert.NotNull(i % 2 == 0 ? cache.Get("k") : RefreshThenPeek(cache, f));
        }

        f.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public void Sliding_expiry_never_passes_the_absolute_one()
    {
        using var f = new CacheFixture();
        KvDistributedCache cache = Open(f);
        cache.Set("k", [7], new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromMinutes(5),
            AbsoluteExpiration = f.Clock.GetUtcNow() + TimeSpan.FromMinutes(8),
        });

        f.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.NotNull(cache.Get("k")); // slides to minute 9, capped at 8
        f.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Null(cache.Get("k"));
    }

    [Fact]
    public void Default_sliding_remove_and_bad_options()
    {
        using var f = new CacheFixture();
        KvDistributedCache cache = Open(f);
        cache.Set("k", [1], new DistributedCacheEntryOptions());
        f.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.NotNull(cache.Get("k"));
        f.Clock.Advance(TimeSpan.FromMinutes(19));
        Assert.NotNull(cache.Get("k"));
        cache.Remove("k");
        Assert.Null(cache.Get("k"));
        f.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Throws<ArgumentOutOfRangeException>(() => cache.Set("k", [1], new DistributedCacheEntryOptions { AbsoluteExpiration = f.Clock.GetUtcNow() - TimeSpan.FromSeconds(1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KvDistributedCache(f.Database, new KvDistributedCacheOptions { DefaultSlidingExpiration = TimeSpan.Zero }));
    }

    private static byte[]? RefreshThenPeek(KvDistributedCache cache, CacheFixture f)
    {
        cache.Refresh("k");
        f.Clock.Advance(TimeSpan.Zero);
        return cache.Get("k");
    }
}
