using Store.Cache;
using Store.Cache.Tests.Support;
using Store.Client;
using Store.Client.Protocol;
using Store.Kv;
using Store.Vectors;

namespace Store.Server.Tests.Cache;

/// <summary>
/// The binary protocol's cache operations through the real client: one scenario, written against
/// <see cref="ISemanticCache"/>, runs on the embedded cache and on a remote one and must see the same.
/// </summary>
public sealed class RemoteCacheTests
{
    private static readonly CachePartition Acme = new("acme", "gpt-x") { SystemPrompt = "be brief", Tools = "[search]", Revision = 2 };

    [Fact]
    public async Task Remote_and_embedded_caches_answer_the_same_scenario_alike()
    {
        List<string> embedded;
        using (var directory = new TempDirectory())
        {
            using var database = Database.Open(directory.Path);
            using SemanticCache cache = database.OpenSemanticCache(CacheServer.CacheName, new SemanticCacheOptions { Dimension = CacheServer.Dimension });
            embedded = await ScenarioAsync(cache);
        }

        await using CacheServer server = await CacheServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        using RemoteSemanticCache remote = await client.OpenSemanticCacheAsync(CacheServer.CacheName);
        Assert.Equal(CacheServer.Dimension, remote.Dimension);
        Assert.Equal(CacheServer.CacheName, remote.Name);
        List<string> remoteLog = await ScenarioAsync(remote);

        Assert.Equal(embedded, remoteLog);
        Assert.True(embedded.Count > 15);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Remote_errors_are_typed()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        StoreServerException unknown = await Assert.ThrowsAsync<StoreServerException>(async () => await client.OpenSemanticCacheAsync("nope"));
        Assert.Equal(StatusCode.UnknownCache, unknown.Status);
        Assert.Contains(CacheServer.CacheName, unknown.Message, StringComparison.Ordinal); // names what is served

        using RemoteSemanticCache cache = await client.OpenSemanticCacheAsync(CacheServer.CacheName);
        float[] v = new TestVectors(CacheServer.Dimension, seed: 9).Next();
        await Assert.ThrowsAsync<VectorDimensionException>(async () => await cache.LookupAsync(new CacheQuery(Acme, "faq", "p", new float[3])));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await cache.SetPolicyAsync("faq", new CachePolicy { Threshold = 2 }));
        StoreArgumentException threshold = await Assert.ThrowsAsync<StoreArgumentException>(async () => await cache.LookupAsync(new CacheQuery(Acme, "faq", "p", v) { MinSimilarity = 1.5 }));
        Assert.Equal(StatusCode.InvalidArgument, threshold.Status);
        StoreArgumentException category = await Assert.ThrowsAsync<StoreArgumentException>(async () => await cache.StoreAsync(new CacheWrite(Acme, "no spaces allowed", "p", v, new byte[1])));
        Assert.Contains("category", category.Message, StringComparison.OrdinalIgnoreCase);
        StoreServerException zero = await Assert.ThrowsAsync<StoreServerException>(async () => await cache.StoreAsync(new CacheWrite(Acme, "faq", "p", new float[CacheServer.Dimension], new byte[1])));
        Assert.Equal(StatusCode.InvalidVector, zero.Status);

        // The connection is still good after the errors.
        Assert.Equal(CacheLookupStatus.Miss, (await cache.LookupAsync(new CacheQuery(Acme, "faq", "p", v))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Remote_get_or_create_shares_one_factory_call_among_concurrent_misses()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        await using StoreClient client = await server.ConnectAsync();
        using RemoteSemanticCache cache = await client.OpenSemanticCacheAsync(CacheServer.CacheName);
        float[] v = new TestVectors(CacheServer.Dimension, seed: 10).Next();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int calls = 0;
        async ValueTask<CacheValue> Factory(CancellationToken token)
        {
            Interlocked.Increment(ref calls);
            await release.Task.WaitAsync(token);
            return new CacheValue(new byte[] { 42 });
        }

        var query = new CacheQuery(Acme, "faq", "same   question", v);
        Task<CacheFetchResult>[] callers = [.. Enumerable.Range(0, 6).Select(_ => cache.GetOrCreateAsync(query, Factory).AsTask())];

        // Release the factory only once the server has answered all six first lookups with a miss (the
        // claimant's second lookup makes seven): every caller missed while the flight was open.
        await TestServer.WaitUntilAsync(() => Volatile.Read(ref calls) == 1 && cache.GetMetrics().Categories["faq"].Misses >= 7, "six misses and one factory call");
        release.SetResult();
        CacheFetchResult[] results = await Task.WhenAll(callers);

        Assert.Equal(1, calls);
        Assert.All(results, r => Assert.Equal(42, r.Response.Span[0]));
        Assert.Equal(1, results.Count(r => r.Source == CacheFetchSource.Factory));
        CacheFetchResult later = await cache.GetOrCreateAsync(query with { Prompt = "same question" }, Factory);
        Assert.Equal(CacheFetchSource.Cache, later.Source);
        Assert.Equal(1, calls);
    }

    /// <summary>Runs the same operations on any <see cref="ISemanticCache"/> and logs what it saw (ids and ages left out).</summary>
    private static async Task<List<string>> ScenarioAsync(ISemanticCache cache)
    {
        var log = new List<string>();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 11);
        float[] a = vectors.Next(), b = vectors.Next();
        CachePartition other = Acme with { Revision = 3 };

        CacheStoreResult first = await cache.StoreAsync(new CacheWrite(Acme, "faq", "refund window?", a, "30 days"u8.ToArray()) { Metadata = "m1"u8.ToArray(), Ttl = TimeSpan.FromMinutes(5) });
        log.Add($"store {first.Stored} {first.Ttl}");
        CacheStoreResult second = await cache.StoreAsync(new CacheWrite(Acme, "chat", "hello", b, "hi"u8.ToArray()));
        log.Add($"store {second.Stored} {second.Ttl}");
        await cache.StoreAsync(new CacheWrite(other, "faq", "refund window?", a, "old answer"u8.ToArray()));

        foreach ((string prompt, float[] vector, double? min) in new[] { ("refund window?", a, (double?)null), ("how long to return?", vectors.At(a, 0.95), null), ("how long to return?", vectors.At(a, 0.95), 0.97), ("unrelated", vectors.At(a, 0.3), null) })
        {
            CacheLookupResult r = await cache.LookupAsync(new CacheQuery(Acme, "faq", prompt, vector) { MinSimilarity = min });
            log.Add($"lookup {r.Status} {r.Category} {System.Text.Encoding.UTF8.GetString(r.Response.Span)} {System.Text.Encoding.UTF8.GetString(r.Metadata.Span)} {Round(r.Similarity)} {Round(r.Threshold)} hit={r.IsHit} id={(r.IsHit ? r.EntryId == first.EntryId : r.EntryId == 0)}");
        }

        log.Add($"policy {Describe(cache.GetPolicy("faq"))}");
        await cache.SetPolicyAsync("faq", new CachePolicy { Threshold = 0.9, MinThreshold = 0.85, Mode = CacheMode.Exact, DefaultTtl = TimeSpan.FromMinutes(2) });
        log.Add($"policy {Describe(cache.GetPolicy("faq"))}");
        CacheLookupResult exactOnly = await cache.LookupAsync(new CacheQuery(Acme, "faq", "how long to return?", vectors.At(a, 0.99)));
        log.Add($"exact-mode lookup {exactOnly.Status}");
        await cache.SetPolicyAsync("faq", new CachePolicy());

        CacheLoadState high = cache.ReportLoad(0.9);
        CacheLoadState low = cache.ReportLoad(0.2);
        log.Add($"load {high} {low}");

        CacheMetricsSnapshot metrics = cache.GetMetrics();
        foreach ((string name, CategoryMetricsSnapshot m) in metrics.Categories.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            log.Add($"metrics {name} exact={m.ExactHits} semantic={m.SemanticHits} miss={m.Misses} stores={m.Stores} entries={m.Entries} bytes={m.Bytes} " +
                $"sim={string.Join(',', m.SimilarityHistogram)} lat={m.LatencyHistogram.Sum()} removed={string.Join(',', m.Removals.OrderBy(r => r.Key).Select(r => r.Value))} {Describe(m.Policy)}");
        }

        log.Add($"metrics bounds {metrics.SimilarityBucketUpperBounds.Count} {metrics.LatencyBucketUpperBoundsMicroseconds.Count} {metrics.Load}");

        log.Add($"invalidate wrong id {await cache.InvalidateAsync(first.EntryId + 1000)}");
        log.Add($"invalidate partition {await cache.InvalidatePartitionAsync(other)}");
        log.Add($"invalidate id {await cache.InvalidateAsync(first.EntryId)}");
        log.Add($"invalidate category {await cache.InvalidateCategoryAsync("chat")}");
        CacheLookupResult gone = await cache.LookupAsync(new CacheQuery(Acme, "faq", "refund window?", a));
        log.Add($"after {gone.Status}");

        CacheFetchResult fetched = await cache.GetOrCreateAsync(new CacheQuery(Acme, "faq", "new one", b), _ => ValueTask.FromResult(new CacheValue("made"u8.ToArray())));
        CacheFetchResult again = await cache.GetOrCreateAsync(new CacheQuery(Acme, "faq", "new one", b), _ => throw new InvalidOperationException("must not run"));
        log.Add($"fetch {fetched.Source} {again.Source} {System.Text.Encoding.UTF8.GetString(again.Response.Span)}");
        return log;
    }

    private static string Round(double value) => double.IsNaN(value) ? "NaN" : value.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    private static string Describe(CachePolicy p) => $"{p.Threshold} {p.MinThreshold} {p.MaxThreshold} {p.DefaultTtl} {p.MaxTtl} {p.MaxEntries} {p.MaxBytes} {p.Mode} {p.Eviction} {p.Strict}";
}
