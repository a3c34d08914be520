using System.Text.Json.Nodes;
using Store.Cache;
using Store.Kv;

namespace Store.Server.Tests.Cache;

/// <summary>A host given a database and cache the program already opened serves them and leaves them open.</summary>
public sealed class EmbeddedHostTests
{
    [Fact]
    public async Task Host_serves_an_already_open_cache_and_leaves_it_open_at_stop()
    {
        using var directory = new TempDirectory();
        using var database = Database.Open(directory.Path);
        using SemanticCache cache = database.OpenSemanticCache("preloaded", new SemanticCacheOptions { Dimension = 4 });
        var partition = new CachePartition("acme", "m");
        float[] v = [0.5f, 0.5f, 0.5f, 0.5f];
        CacheStoreResult stored = cache.Store(new CacheWrite(partition, "faq", "loaded before serving", v, "from memory"u8.ToArray()));

        StoreServerHost host = await StoreServerHost.StartAsync(new StoreServerOptions { Port = 0, AdminPort = 0 }, database, [cache]);
        await using (host)
        {
            Assert.Same(database, host.Database);
            using var http = new HttpClient { BaseAddress = new Uri($"http://{host.AdminEndpoint}") };
            var body = new JsonObject
            {
                ["partition"] = new JsonObject { ["tenant"] = "acme", ["model"] = "m" },
                ["category"] = "faq",
                ["prompt"] = "something else",
                ["vector"] = new JsonArray(0.5f, 0.5f, 0.5f, 0.49f),
            };
            using HttpResponseMessage response = await http.PostAsync("/v1/caches/preloaded/lookup", new StringContent(body.ToJsonString()));
            JsonNode reply = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("SemanticHit", (string?)reply["status"]);
            Assert.Equal(stored.EntryId, (long)reply["entryId"]!);
            Assert.Equal("from memory", (string?)reply["response"]);
        }

        // The host stopped; the database and the cache are still the program's, and open.
        Assert.True(cache.Lookup(new CacheQuery(partition, "faq", "loaded before serving", v)).IsHit);
        database.GetOrCreateKeyspace("still-open").Set("k"u8, "v"u8);
    }
}
