using System.Text.Json.Nodes;
using Store.Cache.Tests.Support;

namespace Store.Server.Tests.Cache;

/// <summary>Client mistakes get a 4xx with a typed JSON error, never a 500.</summary>
public sealed class SidecarErrorTests
{
    [Fact]
    public async Task Bad_input_gets_typed_4xx_errors()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 5);
        JsonObject partition = CacheServer.Partition("acme");

        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "p", new float[CacheServer.Dimension + 1])), 400, "wrong_dimension");
        CacheServer.AssertError(await server.PostAsync("store", CacheServer.Store(partition, "faq", "p", new float[3], "r")), 400, "wrong_dimension");
        CacheServer.AssertError(await server.PostAsync("store", CacheServer.Store(partition, "faq", "p", new float[CacheServer.Dimension], "r")), 400, "invalid_vector");

        JsonObject threshold = CacheServer.Lookup(partition, "faq", "p", vectors.Next());
        threshold["minSimilarity"] = 1.5;
        CacheServer.AssertError(await server.PostAsync("lookup", threshold), 400, "invalid_argument");
        threshold["minSimilarity"] = -0.1;
        CacheServer.AssertError(await server.PostAsync("lookup", threshold), 400, "invalid_argument");

        foreach (string field in new[] { "partition", "category", "prompt", "vector" })
        {
            JsonObject missing = CacheServer.Lookup(partition, "faq", "p", vectors.Next());
            missing.Remove(field);
            (int Status, JsonNode? Body) reply = await server.PostAsync("lookup", missing);
            CacheServer.AssertError(reply, 400, "invalid_argument");
            Assert.Contains(field, (string?)reply.Body!["message"], StringComparison.Ordinal);
        }

        JsonObject noResponse = CacheServer.Store(partition, "faq", "p", vectors.Next(), "r");
        noResponse.Remove("response");
        CacheServer.AssertError(await server.PostAsync("store", noResponse), 400, "invalid_argument");
        JsonObject both = CacheServer.Store(partition, "faq", "p", vectors.Next(), "r");
        both["responseBase64"] = "cg==";
        CacheServer.AssertError(await server.PostAsync("store", both), 400, "invalid_argument");
        JsonObject badBase64 = CacheServer.Store(partition, "faq", "p", vectors.Next(), "r");
        badBase64.Remove("response");
        badBase64["responseBase64"] = "not base64!";
        CacheServer.AssertError(await server.PostAsync("store", badBase64), 400, "invalid_argument");
        JsonObject badTtl = CacheServer.Store(partition, "faq", "p", vectors.Next(), "r");
        badTtl["ttlSeconds"] = 0;
        CacheServer.AssertError(await server.PostAsync("store", badTtl), 400, "invalid_argument");

        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(new JsonObject { ["model"] = "m" }, "faq", "p", vectors.Next())), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(new JsonObject { ["tenant"] = "acme" }, "faq", "p", vectors.Next())), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(partition, "bad category!", "p", vectors.Next())), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "p", vectors.Next()), cache: "nope"), 404, "unknown_cache");

        CacheServer.AssertError(await server.SendAsync(HttpMethod.Post, "/v1/caches/answers/lookup", "{not json"), 400, "bad_request");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Post, "/v1/caches/answers/lookup", ""), 400, "bad_request");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Post, "/v1/caches/answers/lookup", "null"), 400, "bad_request");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Post, "/v1/caches/answers/lookup", "{\"vectr\":[1]}"), 400, "bad_request");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Post, "/v1/caches/answers/lookup", "{\"vector\":\"text\"}"), 400, "bad_request");

        CacheServer.AssertError(await server.PostAsync("load", new JsonObject { ["load"] = -1 }), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("load", new JsonObject()), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("invalidate/entry", new JsonObject()), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("invalidate/category", new JsonObject()), 400, "invalid_argument");
        CacheServer.AssertError(await server.PostAsync("invalidate/partition", new JsonObject()), 400, "invalid_argument");

        const string PolicyPath = "/v1/caches/answers/categories/faq/policy";
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Put, PolicyPath, "{\"threshold\":1.5}"), 400, "invalid_argument");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Put, PolicyPath, "{\"threshold\":0.5}"), 400, "invalid_argument"); // under minThreshold 0.8
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Put, PolicyPath, "{\"mode\":\"Sometimes\"}"), 400, "bad_request");
        CacheServer.AssertError(await server.SendAsync(HttpMethod.Put, PolicyPath, "{\"defaultTtlSeconds\":-5}"), 400, "invalid_argument");

        // None of that changed the policy or stored anything.
        (_, JsonNode? policy) = await server.SendAsync(HttpMethod.Get, PolicyPath, null);
        Assert.Equal(0.85, (double)policy!["threshold"]!, 6);
        (_, JsonNode? list) = await server.SendAsync(HttpMethod.Get, "/v1/caches", null);
        Assert.Equal(0, (long)list!["caches"]![0]!["entries"]!);
        server.AssertNoServerFaults();
    }
}
