using System.Text;
using Store.Kv;

namespace Store.Client.Tests.Contract;

/// <summary>
/// What every <see cref="IKeyValueStore"/> does, run against the embedded store and against a real
/// server through <see cref="StoreClient"/>: the same calls, the same results, the same exception types.
/// </summary>
public abstract class KeyValueStoreContract : IAsyncLifetime
{
    private IKeyValueStore? _store;

    protected IKeyValueStore Store => _store ?? throw new InvalidOperationException("not opened");

    public async Task InitializeAsync() => _store = await OpenStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected abstract Task<IKeyValueStore> OpenStoreAsync();

    protected static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    protected static string S(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public async Task Get_of_an_absent_key_is_null_and_set_then_get_returns_the_value()
    {
        IKeyspaceStore keyspace = Store.Default;
        Assert.Null(await keyspace.GetAsync(B("absent")));
        WriteResult write = await keyspace.SetAsync(B("k"), B("v1"));
        Assert.True(write.Written);
        Assert.True(write.Version > 0);
        StoredValue? read = await keyspace.GetAsync(B("k"));
        Assert.Equal("v1", S(read!.Value.Value));
        Assert.Equal(write.Version, read.Value.Version);
        Assert.Null(read.Value.ExpiresAt);
        WriteResult again = await keyspace.SetAsync(B("k"), B("v2"));
        Assert.True(again.Version > write.Version);
        Assert.Equal("v2", S((await keyspace.GetAsync(B("k")))!.Value.Value));
    }

    [Fact]
    public async Task Conditions_are_results_not_exceptions()
    {
        IKeyspaceStore keyspace = Store.Default;
        Assert.Equal(WriteStatus.ConditionFailed, (await keyspace.SetAsync(B("c"), B("x"), new SetOptions { Condition = WriteCondition.IfPresent })).Status);
        WriteResult created = await keyspace.SetAsync(B("c"), B("1"), new SetOptions { Condition = WriteCondition.IfAbsent });
        Assert.True(created.Written);
        Assert.Equal(WriteStatus.ConditionFailed, (await keyspace.SetAsync(B("c"), B("2"), new SetOptions { Condition = WriteCondition.IfAbsent })).Status);
        Assert.Equal(WriteStatus.ConditionFailed, (await keyspace.SetAsync(B("c"), B("2"), new SetOptions { Condition = WriteCondition.IfVersion, ExpectedVersion = created.Version + 1000 })).Status);
        Assert.True((await keyspace.SetAsync(B("c"), B("3"), new SetOptions { Condition = WriteCondition.IfVersion, ExpectedVersion = created.Version })).Written);
        Assert.True((await keyspace.SetAsync(B("c"), B("4"), new SetOptions { Condition = WriteCondition.IfPresent })).Written);
        Assert.Equal("4", S((await keyspace.GetAsync(B("c")))!.Value.Value));
    }

    [Fact]
    public async Task Delete_says_whether_the_key_was_there()
    {
        IKeyspaceStore keyspace = Store.Default;
        await keyspace.SetAsync(B("d"), B("v"));
        Assert.True(await keyspace.DeleteAsync(B("d")));
        Assert.False(await keyspace.DeleteAsync(B("d")));
        Assert.Null(await keyspace.GetAsync(B("d")));
    }

    [Fact]
    public async Task Ttl_expire_persist_and_time_to_live()
    {
        IKeyspaceStore keyspace = Store.Default;
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await keyspace.SetAsync(B("t"), B("v"), new SetOptions { Ttl = TimeSpan.FromHours(1) });
        StoredValue read = (await keyspace.GetAsync(B("t")))!.Value;
        Assert.InRange(read.ExpiresAtUnixMs, before + 3_500_000, before + 3_700_000);
        TimeToLiveResult ttl = await keyspace.TimeToLiveAsync(B("t"));
        Assert.True(ttl.Found);
        Assert.InRange(ttl.Remaining!.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.True(await keyspace.PersistAsync(B("t")));
        Assert.Equal(new TimeToLiveResult(true, null), await keyspace.TimeToLiveAsync(B("t")));
        Assert.True(await keyspace.ExpireAsync(B("t"), TimeSpan.FromMinutes(5)));
        Assert.InRange((await keyspace.TimeToLiveAsync(B("t"))).Remaining!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.False(await keyspace.ExpireAsync(B("none"), TimeSpan.FromMinutes(5)));
        Assert.False(await keyspace.PersistAsync(B("none")));
        Assert.Equal(TimeToLiveResult.Missing, await keyspace.TimeToLiveAsync(B("none")));
    }

    [Fact]
    public async Task Increment_counts_from_zero_and_refuses_non_integers()
    {
        IKeyspaceStore keyspace = Store.Default;
        Assert.Equal(5, await keyspace.IncrementAsync(B("n"), 5));
        Assert.Equal(2, await keyspace.IncrementAsync(B("n"), -3));
        Assert.Equal("2", S((await keyspace.GetAsync(B("n")))!.Value.Value));
        await keyspace.SetAsync(B("text"), B("abc"));
        await Assert.ThrowsAsync<ValueNotIntegerException>(() => keyspace.IncrementAsync(B("text")).AsTask());
    }

    [Fact]
    public async Task Multi_set_and_multi_get()
    {
        IKeyspaceStore keyspace = Store.Default;
        await keyspace.MultiSetAsync([new(B("m1"), B("a")), new(B("m2"), B("b"))]);
        byte[]?[] values = await keyspace.MultiGetAsync([B("m1"), B("missing"), B("m2")]);
        Assert.Equal(3, values.Length);
        Assert.Equal("a", S(values[0]!));
        Assert.Null(values[1]);
        Assert.Equal("b", S(values[2]!));
        await keyspace.MultiSetAsync([new(B("m3"), B("c"))], TimeSpan.FromHours(1));
        Assert.True((await keyspace.TimeToLiveAsync(B("m3"))).Remaining is not null);
    }

    [Fact]
    public async Task Scans_by_range_prefix_and_limit_in_key_order()
    {
        IKeyspaceStore keyspace = await Store.GetKeyspaceAsync("scan-" + Guid.NewGuid().ToString("N")[..8], create: true);
        var keys = Enumerable.Range(0, 600).Select(i => $"s:{i:D4}").ToList();
        await keyspace.MultiSetAsync([.. keys.Select(k => new KeyValuePair<byte[], byte[]>(B(k), B("v" + k)))]);
        await keyspace.SetAsync(B("t:0"), B("other"));
        var prefix = await keyspace.ScanPrefixAsync(B("s:")).Select(e => S(e.Key)).ToListAsync();
        Assert.Equal(keys, prefix);
        var range = await keyspace.ScanAsync(B("s:0100"), B("s:0200")).ToListAsync();
        Assert.Equal(keys[100..200], range.Select(e => S(e.Key)));
        Assert.Equal("vs:0100", S(range[0].Value));
        Assert.Equal(keys[..7], await keyspace.ScanAsync(B("s:"), ReadOnlyMemory<byte>.Empty, limit: 7).Select(e => S(e.Key)).ToListAsync());
        Assert.Equal(601, await keyspace.ScanAsync(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty).CountAsync());
        Assert.Equal(601, await keyspace.CountAsync());
        Assert.Empty(await keyspace.ScanPrefixAsync(B("u:")).ToListAsync());
    }

    [Fact]
    public async Task Keyspaces_are_separate_and_missing_ones_are_not_created_by_accident()
    {
        string name = "ks-" + Guid.NewGuid().ToString("N")[..8];
        var missing = await Assert.ThrowsAsync<KeyspaceNotFoundException>(() => Store.GetKeyspaceAsync(name).AsTask());
        Assert.Equal(name, missing.Name);
        IKeyspaceStore created = await Store.GetKeyspaceAsync(name, create: true);
        Assert.Equal(name, created.Name);
        await created.SetAsync(B("shared-key"), B("in-" + name));
        await Store.Default.SetAsync(B("shared-key"), B("in-default"));
        Assert.Equal("in-" + name, S((await created.GetAsync(B("shared-key")))!.Value.Value));
        Assert.Equal("in-default", S((await Store.Default.GetAsync(B("shared-key")))!.Value.Value));
        IKeyspaceStore reopened = await Store.GetKeyspaceAsync(name);
        Assert.Equal(1, await reopened.CountAsync());
    }

    [Fact]
    public async Task Bad_arguments_throw_the_same_exception_types()
    {
        IKeyspaceStore keyspace = Store.Default;
        await Assert.ThrowsAnyAsync<ArgumentException>(() => keyspace.GetAsync(ReadOnlyMemory<byte>.Empty).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => keyspace.SetAsync(ReadOnlyMemory<byte>.Empty, B("v")).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keyspace.SetAsync(B("k"), B("v"), new SetOptions { Ttl = TimeSpan.FromSeconds(-1) }).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keyspace.ExpireAsync(B("k"), TimeSpan.Zero).AsTask());

        // Embedded: CategoryNotFoundException; remote: the server answers InvalidArgument (the protocol has
        // no status of its own for it), so StoreArgumentException. Both name the category.
        Exception unknownCategory = await Assert.ThrowsAnyAsync<Exception>(() => keyspace.SetAsync(B("k"), B("v"), new SetOptions { Category = "no-such-category" }).AsTask());
        Assert.True(unknownCategory is CategoryNotFoundException or StoreArgumentException, unknownCategory.GetType().Name);
        Assert.Contains("no-such-category", unknownCategory.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_callers_see_their_own_results()
    {
        IKeyspaceStore keyspace = Store.Default;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async caller =>
        {
            for (int i = 0; i < 100; i++)
            {
                await keyspace.IncrementAsync(B("shared-counter"));
                string key = $"c{caller}:{i}";
                await keyspace.SetAsync(B(key), B(key));
                Assert.Equal(key, S((await keyspace.GetAsync(B(key)))!.Value.Value));
            }
        }));
        Assert.Equal("1600", S((await keyspace.GetAsync(B("shared-counter")))!.Value.Value));
    }
}
