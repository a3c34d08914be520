using System.Text.Json.Nodes;
using Store.Cache;
using Store.Cache.Tests.Support;
using Store.Client;
using Store.Client.Protocol;

namespace Store.Server.Tests.Cache;

/// <summary>Tokens map to tenants: a request only ever touches its own tenant's partitions, over HTTP and over the binary protocol.</summary>
public sealed class CacheTenantTests
{
    private static readonly Dictionary<string, string> Tokens = new()
    {
        ["t-red"] = "red",
        ["t-green"] = "green",
        ["t-blue"] = "blue",
        ["t-ops"] = "ops",
    };

    [Fact]
    public async Task Http_requests_need_a_known_token_and_stay_in_their_tenant()
    {
        await using CacheServer server = await CacheServer.StartAsync(Tokens, operators: ["ops"]);
        float[] v = new TestVectors(CacheServer.Dimension, seed: 6).Next();
        JsonObject lookup = CacheServer.Lookup(CacheServer.Partition(null), "faq", "p", v);

        CacheServer.AssertError(await server.PostAsync("lookup", lookup), 401, "unauthorized");
        CacheServer.AssertError(await server.PostAsync("lookup", lookup, token: "wrong"), 401, "unauthorized");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Get, "/v1/caches", null), 401, "unauthorized");

        // Another tenant's partition named explicitly: 403, for every operation that takes a partition.
        JsonObject foreign = CacheServer.Partition("green");
        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(foreign, "faq", "p", v), token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.PostAsync("store", CacheServer.Store(foreign, "faq", "p", v, "r"), token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.PostAsync("invalidate/partition", new JsonObject { ["partition"] = foreign.DeepClone() }, token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.PostAsync("invalidate/entry", new JsonObject { ["entryId"] = 1, ["partition"] = foreign.DeepClone() }, token: "t-red"), 403, "forbidden");

        // Operations that span every tenant: operators only.
        CacheServer.AssertError(await server.PostAsync("invalidate/category", new JsonObject { ["category"] = "faq" }, token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.PostAsync("invalidate/entry", new JsonObject { ["entryId"] = 1 }, token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.PostAsync("load", new JsonObject { ["load"] = 0.5 }, token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Put, "/v1/caches/answers/categories/faq/policy", "{\"threshold\":0.9}", token: "t-red"), 403, "forbidden");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Get, "/v1/caches/answers/metrics", null, token: "t-red"), 403, "forbidden");

        Assert.Equal(200, (await server.PostAsync("load", new JsonObject { ["load"] = 0.5 }, token: "t-ops")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/v1/caches/answers/metrics", null, token: "t-ops")).Status);
        Assert.Equal(200, (await server.SendAsync(HttpMethod.Get, "/v1/caches/answers/categories/faq/policy", null, token: "t-red")).Status);

        // The own tenant, named or left out, is the same partition.
        Assert.Equal(200, (await server.PostAsync("store", CacheServer.Store(CacheServer.Partition("red"), "faq", "p", v, "red answer"), token: "t-red")).Status);
        (_, JsonNode? hit) = await server.PostAsync("lookup", lookup, token: "t-red");
        Assert.Equal("red answer", (string?)hit!["response"]);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Randomized_entries_of_many_tenants_are_never_served_across_tenants()
    {
        await using CacheServer server = await CacheServer.StartAsync(Tokens, operators: ["ops"]);
        var random = new Random(7);
        var vectors = new TestVectors(CacheServer.Dimension, seed: 7);
        string[] tenants = ["red", "green", "blue"];
        float[][] prompts = [.. Enumerable.Range(0, 12).Select(_ => vectors.Next())];
        var owners = new Dictionary<(string Tenant, int Prompt), string>();
        var clients = new Dictionary<string, StoreClient>();
        try
        {
            foreach (string tenant in tenants)
            {
                clients[tenant] = await server.ConnectAsync("t-" + tenant);
            }

            // Each tenant stores a random subset of the same prompts (same model, system prompt, vectors),
            // half over HTTP and half over the binary protocol, each answer naming its owner.
            for (int i = 0; i < 40; i++)
            {
                string tenant = tenants[random.Next(tenants.Length)];
                int prompt = random.Next(prompts.Length);
                string answer = $"{tenant}:{prompt}:{i}";
                if (random.Next(2) == 0)
                {
                    JsonObject partition = CacheServer.Partition(random.Next(2) == 0 ? tenant : null);
                    Assert.Equal(200, (await server.PostAsync("store", CacheServer.Store(partition, "faq", $"prompt {prompt}", prompts[prompt], answer), token: "t-" + tenant)).Status);
                }
                else
                {
                    using RemoteSemanticCache cache = await clients[tenant].OpenSemanticCacheAsync(CacheServer.CacheName);
                    await cache.StoreAsync(new CacheWrite(Partition(tenant), "faq", $"prompt {prompt}", prompts[prompt], System.Text.Encoding.UTF8.GetBytes(answer)));
                }

                owners[(tenant, prompt)] = answer;
            }

            // Every tenant looks up every prompt (exactly and by a paraphrase vector), both ways: a hit is
            // always its own latest answer, and a prompt it never stored is always a miss.
            int hits = 0;
            foreach (string tenant in tenants)
            {
                using RemoteSemanticCache cache = await clients[tenant].OpenSemanticCacheAsync(CacheServer.CacheName);
                for (int prompt = 0; prompt < prompts.Length; prompt++)
                {
                    // The very vector and prompt other tenants stored, then a paraphrase (other text, similarity 0.99).
                    foreach ((string text, float[] vector, bool paraphrase) in new[] { ($"prompt {prompt}", prompts[prompt], false), ($"said otherwise {prompt}", vectors.At(prompts[prompt], 0.99), true) })
                    {
                        (_, JsonNode? http) = await server.PostAsync("lookup", CacheServer.Lookup(CacheServer.Partition(null), "faq", text, vector), token: "t-" + tenant);
                        CacheLookupResult binary = await cache.LookupAsync(new CacheQuery(Partition(tenant), "faq", text, vector));
                        string? httpAnswer = (string?)http!["response"];
                        string? binaryAnswer = binary.IsHit ? System.Text.Encoding.UTF8.GetString(binary.Response.Span) : null;
                        Assert.Equal(httpAnswer, binaryAnswer);
                        if (owners.TryGetValue((tenant, prompt), out string? expected))
                        {
                            Assert.Equal(expected, httpAnswer);
                            hits++;
                        }
                        else if (!paraphrase)
                        {
                            Assert.False((bool)http["hit"]!, $"tenant {tenant} got '{httpAnswer}' for prompt {prompt} it never stored");
                        }

                        Assert.True(httpAnswer is null || httpAnswer.StartsWith(tenant + ":", StringComparison.Ordinal), $"tenant {tenant} was served '{httpAnswer}'");
                    }
                }
            }

            Assert.True(hits > 0);

            // A tenant removing "its" partition leaves the others' entries alone.
            (_, JsonNode? removed) = await server.PostAsync("invalidate/partition", new JsonObject { ["partition"] = CacheServer.Partition(null) }, token: "t-red");
            Assert.Equal(owners.Keys.Count(k => k.Tenant == "red"), (long)removed!["removed"]!);
            (_, JsonNode? list) = await server.SendAsync(HttpMethod.Get, "/v1/caches", null, token: "t-ops");
            Assert.Equal(owners.Keys.Count(k => k.Tenant != "red"), (long)list!["caches"]![0]!["entries"]!);
        }
        finally
        {
            foreach (StoreClient client in clients.Values)
            {
                await client.DisposeAsync();
            }
        }

        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Binary_cache_operations_enforce_the_same_tenant_rules()
    {
        await using CacheServer server = await CacheServer.StartAsync(Tokens, operators: ["ops"]);
        float[] v = new TestVectors(CacheServer.Dimension, seed: 8).Next();
        await using StoreClient red = await server.ConnectAsync("t-red");
        await using StoreClient ops = await server.ConnectAsync("t-ops");
        using RemoteSemanticCache redCache = await red.OpenSemanticCacheAsync(CacheServer.CacheName);
        using RemoteSemanticCache opsCache = await ops.OpenSemanticCacheAsync(CacheServer.CacheName);

        StoreServerException forbidden = await Assert.ThrowsAsync<StoreServerException>(async () => await redCache.LookupAsync(new CacheQuery(Partition("green"), "faq", "p", v)));
        Assert.Equal(StatusCode.Forbidden, forbidden.Status);
        Assert.Contains("green", forbidden.Message, StringComparison.Ordinal);
        await AssertForbidden(async () => await redCache.StoreAsync(new CacheWrite(Partition("green"), "faq", "p", v, new byte[1])));
        await AssertForbidden(async () => await redCache.InvalidatePartitionAsync(Partition("green")));
        await AssertForbidden(async () => await redCache.InvalidateCategoryAsync("faq"));
        await AssertForbidden(async () => await redCache.InvalidateAsync(1));
        await AssertForbidden(async () => await redCache.SetPolicyAsync("faq", new CachePolicy()));
        await AssertForbidden(async () => await redCache.ReportLoadAsync(0.5));
        await AssertForbidden(async () => await redCache.GetMetricsAsync());

        CacheStoreResult stored = await redCache.StoreAsync(new CacheWrite(Partition("red"), "faq", "p", v, new byte[] { 1, 2 }));
        Assert.False(await opsCache.InvalidateAsync(stored.EntryId, Partition("ops"))); // scoped to the ops tenant: not its entry
        Assert.True((await redCache.LookupAsync(new CacheQuery(Partition("red"), "faq", "p", v))).IsHit);
        Assert.Equal(1, await opsCache.InvalidateCategoryAsync("faq"));
        Assert.False((await redCache.LookupAsync(new CacheQuery(Partition("red"), "faq", "p", v))).IsHit);
        server.AssertNoServerFaults();
    }

    private static CachePartition Partition(string tenant) => new(tenant, "gpt-x") { SystemPrompt = "be brief" };

    private static async Task AssertForbidden(Func<Task> call)
    {
        StoreServerException e = await Assert.ThrowsAsync<StoreServerException>(call);
        Assert.Equal(StatusCode.Forbidden, e.Status);
    }
}
