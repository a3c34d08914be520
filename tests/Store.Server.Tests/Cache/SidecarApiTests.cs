using System.Text.Json.Nodes;
using Store.Cache.Tests.Support;

namespace Store.Server.Tests.Cache;

/// <summary>The HTTP sidecar end to end: a real host, real loopback HTTP, JSON in and out.</summary>
public sealed class SidecarApiTests
{
    [Fact]
    public async Task Store_then_lookup_hits_exactly_semantically_and_never_across_partitions()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 1);
        float[] v = vectors.Next();
        JsonObject partition = CacheServer.Partition("acme");

        (int status, JsonNode? stored) = await server.PostAsync("store", CacheServer.Store(partition, "faq", "What is the refund window?", v, "30 days"));
        Assert.Equal(200, status);
        Assert.True((bool)stored!["stored"]!);
        long id = (long)stored["entryId"]!;
        Assert.True(id > 0);

        (status, JsonNode? exact) = await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "  What is the   refund window? ", vectors.Next()));
        Assert.Equal(200, status);
        Assert.Equal("ExactHit", (string?)exact!["status"]);
        Assert.Equal("30 days", (string?)exact["response"]);
        Assert.Equal(id, (long)exact["entryId"]!);

        (_, JsonNode? near) = await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "How long can I return things?", vectors.At(v, 0.97)));
        Assert.Equal("SemanticHit", (string?)near!["status"]);
        Assert.Equal("HIT-SEMANTIC", server.LastCacheStatus);
        Assert.InRange((double)near["similarity"]!, 0.96, 0.98);
        Assert.Equal("30 days", (string?)near["response"]);

        (_, JsonNode? far) = await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "Who are you?", vectors.At(v, 0.5)));
        Assert.Equal("Miss", (string?)far!["status"]);
        Assert.Equal("MISS", server.LastCacheStatus);
        Assert.False((bool)far["hit"]!);
        Assert.Null(far["response"]);

        // Same prompt and vector, other partition parts: never a hit.
        foreach (JsonObject other in new[] { CacheServer.Partition("other"), CacheServer.Partition("acme", model: "gpt-y"), CacheServer.Partition("acme", systemPrompt: "be verbose") })
        {
            (_, JsonNode? miss) = await server.PostAsync("lookup", CacheServer.Lookup(other, "faq", "What is the refund window?", v));
            Assert.Equal("Miss", (string?)miss!["status"]);
        }

        // A stricter per-request threshold turns the semantic hit into a miss.
        JsonObject strict = CacheServer.Lookup(partition, "faq", "How long can I return things?", vectors.At(v, 0.9));
        strict["minSimilarity"] = 0.99;
        (_, JsonNode? strictReply) = await server.PostAsync("lookup", strict);
        Assert.Equal("Miss", (string?)strictReply!["status"]);
        Assert.Equal(0.99, (double)strictReply["threshold"]!, 6);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Binary_responses_and_metadata_round_trip_as_base64()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        float[] v = new TestVectors(CacheServer.Dimension, seed: 2).Next();
        byte[] response = [0xFF, 0x00, 0xFE, 0x41];
        JsonObject write = CacheServer.Store(CacheServer.Partition("acme"), "bin", "p", v, "unused");
        write.Remove("response");
        write["responseBase64"] = Convert.ToBase64String(response);
        write["metadata"] = "{\"tokens\":12}";
        write["ttlSeconds"] = 60;
        (int status, JsonNode? stored) = await server.PostAsync("store", write);
        Assert.Equal(200, status);
        Assert.Equal(60, (double)stored!["ttlSeconds"]!, 3);

        (_, JsonNode? hit) = await server.PostAsync("lookup", CacheServer.Lookup(CacheServer.Partition("acme"), "bin", "p", v));
        Assert.Null(hit!["response"]);
        Assert.Equal(response, Convert.FromBase64String((string)hit["responseBase64"]!));
        Assert.Equal("{\"tokens\":12}", (string?)hit["metadata"]);
    }

    [Fact]
    public async Task Vectors_given_as_base64_float32s_answer_as_number_arrays_do()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 3);
        float[] v = vectors.Next();
        JsonObject partition = CacheServer.Partition("acme");
        JsonObject write = CacheServer.Store(partition, "faq", "What is the refund window?", v, "30 days");
        write.Remove("vector");
        write["vectorBase64"] = Base64(v);
        (int status, JsonNode? stored) = await server.PostAsync("store", write);
        Assert.Equal(200, status);
        Assert.False(server.LastChunked);

        float[] near = vectors.At(v, 0.97);
        (_, JsonNode? asNumbers) = await server.PostAsync("lookup", CacheServer.Lookup(partition, "faq", "How long can I return things?", near));
        JsonObject lookup = CacheServer.Lookup(partition, "faq", "How long can I return things?", near);
        lookup.Remove("vector");
        lookup["vectorBase64"] = Base64(near);
        (_, JsonNode? asBase64) = await server.PostAsync("lookup", lookup);
        Assert.Equal("SemanticHit", (string?)asBase64!["status"]);
        Assert.Equal((long)stored!["entryId"]!, (long)asBase64["entryId"]!);
        Assert.Equal((double)asNumbers!["similarity"]!, (double)asBase64["similarity"]!, 6);
        Assert.False(server.LastChunked);

        lookup["vector"] = CacheServer.Vector(near);
        CacheServer.AssertError(await server.PostAsync("lookup", lookup), 400, "invalid_argument");
        lookup.Remove("vector");
        lookup["vectorBase64"] = Convert.ToBase64String(new byte[(CacheServer.Dimension * 4) - 2]);
        CacheServer.AssertError(await server.PostAsync("lookup", lookup), 400, "invalid_argument");
        Assert.False(server.LastChunked);
        lookup["vectorBase64"] = Base64(new float[CacheServer.Dimension - 1]);
        CacheServer.AssertError(await server.PostAsync("lookup", lookup), 400, "wrong_dimension");
        lookup["vectorBase64"] = "not base64!";
        CacheServer.AssertError(await server.PostAsync("lookup", lookup), 400, "bad_request");
        float[] nan = vectors.Next();
        nan[1] = float.NaN;
        write["vectorBase64"] = Base64(nan);
        CacheServer.AssertError(await server.PostAsync("store", write), 400, "invalid_vector");
        server.AssertNoServerFaults();
    }

    private static string Base64(float[] vector)
    {
        byte[] bytes = new byte[vector.Length * sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    [Fact]
    public async Task Invalidate_by_entry_partition_and_category_removes_what_it_says()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 3);
        JsonObject a = CacheServer.Partition("acme");
        JsonObject b = CacheServer.Partition("acme", model: "other-model");
        var ids = new List<long>();
        foreach ((JsonObject partition, string category, string prompt) in new[] { (a, "faq", "p1"), (a, "faq", "p2"), (a, "chat", "p3"), (b, "faq", "p4"), (b, "chat", "p5") })
        {
            (_, JsonNode? stored) = await server.PostAsync("store", CacheServer.Store(partition, category, prompt, vectors.Next(), prompt));
            ids.Add((long)stored!["entryId"]!);
        }

        // By id, scoped to the wrong partition: nothing; to its own: removed.
        (_, JsonNode? wrong) = await server.PostAsync("invalidate/entry", new JsonObject { ["entryId"] = ids[0], ["partition"] = b.DeepClone() });
        Assert.Equal(0, (long)wrong!["removed"]!);
        (_, JsonNode? right) = await server.PostAsync("invalidate/entry", new JsonObject { ["entryId"] = ids[0], ["partition"] = a.DeepClone() });
        Assert.Equal(1, (long)right!["removed"]!);
        (_, JsonNode? again) = await server.PostAsync("invalidate/entry", new JsonObject { ["entryId"] = ids[0] });
        Assert.Equal(0, (long)again!["removed"]!);

        (_, JsonNode? chat) = await server.PostAsync("invalidate/category", new JsonObject { ["category"] = "chat" });
        Assert.Equal(2, (long)chat!["removed"]!);
        (_, JsonNode? partitionB) = await server.PostAsync("invalidate/partition", new JsonObject { ["partition"] = b.DeepClone() });
        Assert.Equal(1, (long)partitionB!["removed"]!);
        (_, JsonNode? partitionA) = await server.PostAsync("invalidate/partition", new JsonObject { ["partition"] = a.DeepClone() });
        Assert.Equal(1, (long)partitionA!["removed"]!);

        (_, JsonNode? list) = await server.SendAsync(HttpMethod.Get, "/v1/caches", null);
        Assert.Equal(CacheServer.CacheName, (string?)list!["caches"]![0]!["name"]);
        Assert.Equal(0, (long)list["caches"]![0]!["entries"]!);
        Assert.Equal(CacheServer.Dimension, (int)list["caches"]![0]!["dimension"]!);
    }

    [Fact]
    public async Task Policies_load_and_metrics_are_read_and_changed_over_http()
    {
        await using CacheServer server = await CacheServer.StartAsync();
        var vectors = new TestVectors(CacheServer.Dimension, seed: 4);
        const string PolicyPath = "/v1/caches/answers/categories/legal/policy";
        (int status, JsonNode? initial) = await server.SendAsync(HttpMethod.Get, PolicyPath, null);
        Assert.Equal(200, status);
        Assert.Equal(0.85, (double)initial!["threshold"]!, 6);
        Assert.Equal("ExactThenSemantic", (string?)initial["mode"]);

        (status, JsonNode? changed) = await server.SendAsync(HttpMethod.Put, PolicyPath, "{\"threshold\":0.95,\"maxThreshold\":0.99,\"strict\":true,\"mode\":\"Semantic\"}");
        Assert.Equal(200, status);
        Assert.Equal(0.95, (double)changed!["threshold"]!, 6);
        Assert.Equal(0.8, (double)changed["minThreshold"]!, 6); // left out: kept
        Assert.True((bool)changed["strict"]!);
        (_, JsonNode? read) = await server.SendAsync(HttpMethod.Get, PolicyPath, null);
        Assert.Equal("Semantic", (string?)read!["mode"]);

        // The new threshold is in force: 0.9 was a hit under 0.85, is a miss under 0.95.
        float[] v = vectors.Next();
        await server.PostAsync("store", CacheServer.Store(CacheServer.Partition("acme"), "legal", "q", v, "a"));
        (_, JsonNode? lookup) = await server.PostAsync("lookup", CacheServer.Lookup(CacheServer.Partition("acme"), "legal", "q2", vectors.At(v, 0.9)));
        Assert.Equal("Miss", (string?)lookup!["status"]);
        Assert.Equal(0.95, (double)lookup["threshold"]!, 6);

        (_, JsonNode? load) = await server.PostAsync("load", new JsonObject { ["load"] = 0.97 });
        Assert.True((bool)load!["relaxed"]!);
        (_, JsonNode? calm) = await server.PostAsync("load", new JsonObject { ["load"] = 0.1 });
        Assert.False((bool)calm!["relaxed"]!);

        (_, JsonNode? hit) = await server.PostAsync("lookup", CacheServer.Lookup(CacheServer.Partition("acme"), "legal", "q3", vectors.At(v, 0.99)));
        Assert.Equal("SemanticHit", (string?)hit!["status"]);

        (status, JsonNode? metrics) = await server.SendAsync(HttpMethod.Get, "/v1/caches/answers/metrics", null);
        Assert.Equal(200, status);
        JsonNode legal = metrics!["categories"]!["legal"]!;
        Assert.Equal(1, (long)legal["semanticHits"]!);
        Assert.Equal(1, (long)legal["misses"]!);
        Assert.Equal(1, (long)legal["stores"]!);
        Assert.Equal(1, (long)legal["entries"]!);
        Assert.Equal(0.5, (double)legal["hitRate"]!, 6);
        Assert.Equal(0.95, (double)legal["policy"]!["threshold"]!, 6);
        Assert.Equal(0.1, (double)metrics["load"]!["load"]!, 6);

        string prometheus = await server.GetTextAsync("/metrics");
        Assert.Contains("store_cache_lookups_total{cache=\"answers\",category=\"legal\",status=\"semantic_hit\"} 1\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("store_cache_lookups_total{cache=\"answers\",category=\"legal\",status=\"miss\"} 1\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("store_cache_entries{cache=\"answers\",category=\"legal\"} 1\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("store_cache_threshold{cache=\"answers\",category=\"legal\"} 0.95\n", prometheus, StringComparison.Ordinal);
        Assert.Contains("store_cache_load_relaxed{cache=\"answers\"} 0\n", prometheus, StringComparison.Ordinal);
        server.AssertNoServerFaults();
    }
}
