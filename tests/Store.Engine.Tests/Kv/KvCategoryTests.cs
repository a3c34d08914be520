using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Category policies on a manual clock: default and maximum TTLs, entry and byte quotas enforced by
/// the time a write returns, eviction of expired entries first and then by CLOCK (recently read
/// entries survive), isolation between categories, and policy changes at run time and across reopen.
/// </summary>
public sealed class KvCategoryTests : IDisposable
{
    private readonly TempDirectory _temp = new("category");
    private readonly ManualTimeProvider _clock = new();
    private Database _db;
    private Keyspace _keyspace;

    public KvCategoryTests()
    {
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetOrCreateKeyspace("cache");
    }

    private string Path => _temp.Combine("db");

    private DatabaseOptions Options => new()
    {
        SegmentSize = 1 << 20,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
        TimeProvider = _clock,
    };

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void DefaultTtlAppliesToWritesWithoutOne()
    {
        Category category = _keyspace.DefineCategory("sessions", new CategoryPolicy { DefaultTtl = TimeSpan.FromSeconds(10) });

        Set("a", "1", category);
        Set("b", "2", category, TimeSpan.FromSeconds(30)); // an explicit TTL wins over the default
        Set("c", "3", category, TimeSpan.FromSeconds(2));
        Set("plain", "4");

        Assert.Equal(TimeSpan.FromSeconds(10), Ttl("a"));
        Assert.Equal(TimeSpan.FromSeconds(30), Ttl("b"));
        Assert.Equal(TimeSpan.FromSeconds(2), Ttl("c"));
        Assert.True(_keyspace.TryGetTimeToLive("plain"u8, out TimeSpan? none) && none is null);
        Assert.True(_keyspace.TryGetInfo("a"u8, out EntryInfo info) && info.CategoryId == category.Id);
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), info.ExpiresAt);

        _clock.Advance(TimeSpan.FromMilliseconds(9999));
        Assert.NotNull(Get("a"));
        Assert.Null(Get("c"));
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(Get("a"));
        Assert.NotNull(Get("b"));
        Assert.NotNull(Get("plain"));
    }

    [Fact]
    public void MaxTtlClampsLongerTtlsAndNoTtl()
    {
        Category category = _keyspace.DefineCategory("short", new CategoryPolicy { MaxTtl = TimeSpan.FromSeconds(5) });
        Category both = _keyspace.DefineCategory("both", new CategoryPolicy { DefaultTtl = TimeSpan.FromMinutes(1), MaxTtl = TimeSpan.FromSeconds(7) });

        Set("long", "x", category, TimeSpan.FromHours(1));
        Set("none", "x", category);
        Set("shorter", "x", category, TimeSpan.FromSeconds(2));
        Set("default", "x", both);

        Assert.Equal(TimeSpan.FromSeconds(5), Ttl("long"));
        Assert.Equal(TimeSpan.FromSeconds(5), Ttl("none"));
        Assert.Equal(TimeSpan.FromSeconds(2), Ttl("shorter"));
        Assert.Equal(TimeSpan.FromSeconds(7), Ttl("default"));

        // Expire and Persist are capped too.
        Assert.True(_keyspace.Expire("shorter"u8, TimeSpan.FromDays(1)));
        Assert.Equal(TimeSpan.FromSeconds(5), Ttl("shorter"));
        Assert.True(_keyspace.Persist("long"u8));
        Assert.Equal(TimeSpan.FromSeconds(5), Ttl("long"));

        // Increment of a new key in the category: clamped; of an existing one: keeps its TTL and category.
        Assert.Equal(5, _keyspace.Increment("counter"u8, 5, new WriteOptions { Category = category }));
        Assert.Equal(TimeSpan.FromSeconds(5), Ttl("counter"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(6, _keyspace.Increment("counter"u8, 1));
        Assert.Equal(TimeSpan.FromSeconds(4), Ttl("counter"));
        Assert.True(_keyspace.TryGetInfo("counter"u8, out EntryInfo info) && info.CategoryId == category.Id);

        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Null(Get("long"));
        Assert.Null(Get("none"));
        Assert.Null(Get("counter"));
        Assert.NotNull(Get("default"));
    }

    [Fact]
    public void EntryQuotaHoldsWheneverAWriteReturns()
    {
        Category category = _keyspace.DefineCategory("capped", new CategoryPolicy { MaxEntries = 50 });
        for (int i = 0; i < 400; i++)
        {
            Set($"k{i:D4}", $"value {i}", category);
            Assert.True(category.Entries <= 50, $"after write {i}: {category.Entries} entries");
            Assert.False(category.OverQuota);
            Assert.NotNull(Get($"k{i:D4}")); // the write just made is never its own victim
        }

        Assert.Equal(50, category.Entries);
        Assert.Equal(350, category.Evictions);
        Assert.Equal(50, _keyspace.Count);
        Assert.Equal(category.Bytes, SumOfEntries());
    }

    [Fact]
    public void ByteQuotaHoldsWheneverAWriteReturnsAndCountsUncompressedBytes()
    {
        const long MaxBytes = 40_000;
        Category category = _keyspace.DefineCategory("bytes", new CategoryPolicy { MaxBytes = MaxBytes });
        var rng = new Random(TestMode.Seed(71));
        for (int i = 0; i < 300; i++)
        {
            // Some values compress (LZ4 above 1 KiB): the quota counts what the caller wrote.
            byte[] value = i % 4 == 0 ? Bytes.Compressible(rng.Next(1024, 4000), (byte)i) : Bytes.Random(rng, rng.Next(10, 900));
            _keyspace.Set(Bytes.Of($"k{i:D4}"), value, new WriteOptions { Category = category });
            Assert.True(category.Bytes <= MaxBytes, $"after write {i}: {category.Bytes} bytes");
            Assert.Equal(category.Bytes, SumOfEntries());
        }

        Assert.True(category.Evictions > 0);
        Assert.True(category.Bytes > MaxBytes / 2, $"only {category.Bytes} bytes left: eviction went too far");
    }

    [Fact]
    public void ExpiredEntriesAreEvictedBeforeLiveOnes()
    {
        Category category = _keyspace.DefineCategory("mixed", new CategoryPolicy { MaxEntries = 10 });
        for (int i = 0; i < 5; i++)
        {
            Set($"live{i}", "x", category); // older: CLOCK alone would take these first
        }

        for (int i = 0; i < 5; i++)
        {
            Set($"brief{i}", "x", category, TimeSpan.FromSeconds(1));
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        Set("new", "x", category);

        for (int i = 0; i < 5; i++)
        {
            Assert.NotNull(Get($"live{i}"));
        }

        Assert.NotNull(Get("new"));
        Assert.Equal(6, category.Entries);
        Assert.Equal(5, category.Expirations);
        Assert.Equal(0, category.Evictions);
        Assert.Equal(6, _keyspace.Count);
    }

    [Fact]
    public void RecentlyReadEntriesOutliveEntriesNeverRead()
    {
        const int Max = 20;
        Category category = _keyspace.DefineCategory("lru", new CategoryPolicy { MaxEntries = Max });
        for (int i = 0; i <= Max; i++)
        {
            Set($"k{i:D3}", "x", category); // one over: the first eviction pass clears every reference bit
        }

        var read = new HashSet<string>();
        for (int i = 1; i <= Max; i += 2)
        {
            Assert.NotNull(Get($"k{i:D3}"));
            read.Add($"k{i:D3}");
        }

        int unread = Max - read.Count;
        for (int i = 0; i < unread - 1; i++)
        {
            Set($"n{i:D3}", "x", category);
        }

        foreach (string key in read)
        {
            Assert.True(Get(key) is not null, $"{key} was read recently but got evicted; left: {string.Join(", ", Keys())}");
        }

        Assert.Equal(Max, category.Entries);
    }

    [Fact]
    public void ACategoryEvictsOnlyItsOwnEntries()
    {
        Category small = _keyspace.DefineCategory("small", new CategoryPolicy { MaxEntries = 10 });
        Category other = _keyspace.DefineCategory("other", new CategoryPolicy { MaxEntries = 1000 });
        Category unlimited = _keyspace.DefineCategory("unlimited", new CategoryPolicy());
        for (int i = 0; i < 100; i++)
        {
            Set($"o{i:D3}", "x", other);
            Set($"u{i:D3}", "x", unlimited);
            Set($"p{i:D3}", "x");
        }

        for (int i = 0; i < 500; i++)
        {
            Set($"s{i:D3}", "x", small);
        }

        Assert.Equal(10, small.Entries);
        Assert.Equal(100, other.Entries);
        Assert.Equal(100, unlimited.Entries);
        Assert.Equal(0, other.Evictions);
        for (int i = 0; i < 100; i++)
        {
            Assert.NotNull(Get($"o{i:D3}"));
            Assert.NotNull(Get($"u{i:D3}"));
            Assert.NotNull(Get($"p{i:D3}"));
        }

        // Moving a key to another category moves its accounting.
        Set("o000", "xy", small);
        Assert.Equal(99, other.Entries);
        Assert.Equal(10, small.Entries);
    }

    [Fact]
    public void CountersFollowOverwritesDeletesAndExpiry()
    {
        Category category = _keyspace.DefineCategory("counted", new CategoryPolicy());
        Set("a", "12345", category);
        Set("b", "123", category, TimeSpan.FromSeconds(1));
        Assert.Equal((2L, 1L + 5 + 1 + 3), (category.Entries, category.Bytes));

        Set("a", "1", category); // overwrite
        Assert.Equal((2L, 1L + 1 + 1 + 3), (category.Entries, category.Bytes));

        Assert.True(_keyspace.Delete("a"u8));
        Assert.Equal((1L, 4L), (category.Entries, category.Bytes));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, category.Entries); // expired but not yet removed
        _db.SweepExpired();
        Assert.Equal((0L, 0L, 1L), (category.Entries, category.Bytes, category.Expirations));
    }

    [Fact]
    public void PolicyChangesTakeEffectAtRunTimeAndSurviveReopen()
    {
        Category category = _keyspace.DefineCategory("tunable", new CategoryPolicy { DefaultTtl = TimeSpan.FromSeconds(10) });
        Set("before", "x", category);

        CategoryPolicy stricter = new() { DefaultTtl = TimeSpan.FromSeconds(3), MaxTtl = TimeSpan.FromSeconds(4), MaxEntries = 5 };
        Assert.Same(category, _keyspace.DefineCategory("tunable", stricter));
        Assert.Equal(stricter, category.Policy);
        Set("after", "x", category, TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.FromSeconds(10), Ttl("before")); // existing entries keep their expiry
        Assert.Equal(TimeSpan.FromSeconds(4), Ttl("after"));
        for (int i = 0; i < 20; i++)
        {
            Set($"k{i}", "x", category);
            Assert.True(category.Entries <= 5, $"after write {i}: {category.Entries} entries");
        }

        Reopen();
        Category reopened = _keyspace.GetCategory("tunable");
        Assert.Equal(stricter, reopened.Policy);
        Assert.Equal(5, reopened.Entries);
        Assert.Equal(SumOfEntries(), reopened.Bytes);
        Set("more", "x", reopened);
        Assert.Equal(5, reopened.Entries);
        Assert.NotNull(Get("more"));
        Assert.Equal(TimeSpan.FromSeconds(3), Ttl("more"));

        // Lifting the quota stops eviction.
        _keyspace.DefineCategory("tunable", new CategoryPolicy());
        for (int i = 0; i < 10; i++)
        {
            Set($"free{i}", "x", reopened);
        }

        Assert.Equal(15, reopened.Entries);
    }

    [Fact]
    public void QuotaAddedAtRunTimeBringsTheCategoryWithinIt()
    {
        Category category = _keyspace.DefineCategory("late", new CategoryPolicy());
        for (int i = 0; i < 30; i++)
        {
            Set($"k{i:D2}", "x", category);
        }

        _keyspace.DefineCategory("late", new CategoryPolicy { MaxEntries = 5 });
        Set("trigger", "x", category);

        Assert.Equal(5, category.Entries);
        Assert.Equal(5, _keyspace.Count);
        Assert.Equal(26, category.Evictions);
    }

    [Fact] // regression: engine bug B4 (docs/kv.md)
    public void QuotaAddedAtRunTimeKeepsTheWriteThatTriggeredEviction()
    {
        Category category = _keyspace.DefineCategory("late", new CategoryPolicy());
        for (int i = 0; i < 30; i++)
        {
            Set($"k{i:D2}", "x", category);
        }

        _keyspace.DefineCategory("late", new CategoryPolicy { MaxEntries = 5 });
        WriteResult result = _keyspace.Set("trigger"u8, "x"u8, new WriteOptions { Category = category });

        Assert.True(result.Written);
        Assert.True(Get("trigger") is not null, $"the write that just returned Written was evicted; left: {string.Join(", ", Keys())}");
    }

    [Fact]
    public void CategoriesSurviveReopenWithTheirIds()
    {
        Category a = _keyspace.DefineCategory("a", new CategoryPolicy { MaxEntries = 3 });
        Category b = _keyspace.DefineCategory("b", new CategoryPolicy { DefaultTtl = TimeSpan.FromHours(1) });
        Set("x", "1", b);

        Reopen();

        Assert.Equal(["a", "b"], _keyspace.Categories.Select(c => c.Name));
        Assert.Equal(a.Id, _keyspace.GetCategory("a").Id);
        Assert.Equal(b.Id, _keyspace.GetCategory("b").Id);
        Assert.True(_keyspace.TryGetCategory("b", out Category? again) && again.Entries == 1);
        Assert.True(_keyspace.TryGetInfo("x"u8, out EntryInfo info) && info.CategoryId == b.Id);
        Assert.False(_keyspace.TryGetCategory("c", out _));
    }

    private void Set(string key, string value, Category? category = null, TimeSpan? ttl = null)
    {
        WriteResult result = _keyspace.Set(Bytes.Of(key), Bytes.Of(value), new WriteOptions { Category = category, Ttl = ttl });
        Assert.True(result.Written);
    }

    private byte[]? Get(string key) => _keyspace.Get(Bytes.Of(key));

    private TimeSpan? Ttl(string key)
    {
        Assert.True(_keyspace.TryGetTimeToLive(Bytes.Of(key), out TimeSpan? ttl), $"{key} is absent");
        return ttl;
    }

    private List<string> Keys()
    {
        var keys = new List<string>();
        _keyspace.ScanFrom([], (key, _) =>
        {
            keys.Add(System.Text.Encoding.ASCII.GetString(key));
            return true;
        });
        return keys;
    }

    /// <summary>Keys plus values of every live entry with a category (what category byte counters add up).</summary>
    private long SumOfEntries()
    {
        long sum = 0;
        _keyspace.ScanFrom([], (key, value) =>
        {
            sum += key.Length + value.Length;
            return true;
        });
        return sum;
    }

    private void Reopen()
    {
        _db.Dispose();
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetKeyspace("cache");
    }
}
