using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Store.Cache;
using Store.Client;
using Store.Kv;
using Store.Server;

namespace Store.Bench.Suites.Cache;

/// <summary>
/// Lookup latency of the already-loaded cache through the network surfaces: a real
/// <see cref="StoreServerHost"/> started in this process on the bench's database and cache (the embedding
/// form: loading 1M entries over HTTP and rebuilding the HNSW graphs in a child process would take many
/// minutes), reached over real loopback sockets by one caller at a time: the HTTP sidecar with an
/// <see cref="HttpClient"/> (keep-alive) and the binary protocol with a <see cref="StoreClient"/>.
/// </summary>
internal sealed class SidecarLatency(Database database, SemanticCache cache, CachePartition partition)
{
    /// <summary>Untimed lookups before each measured run.</summary>
    public const int Warmup = 500;

    /// <summary>Percentiles in ms, how many outcomes agreed with the in-process lookups, and the garbage collections during the timed run.</summary>
    public readonly record struct Figures(double P50Ms, double P99Ms, int Agreed, int Total, GcActivity Gc);

    /// <summary>Collections per generation and the total time the runtime paused threads for them.</summary>
    public readonly record struct GcActivity(int Gen0, int Gen1, int Gen2, double PauseMs)
    {
        public static GcActivity Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalMilliseconds);

        public GcActivity Since(GcActivity before) => new(Gen0 - before.Gen0, Gen1 - before.Gen1, Gen2 - before.Gen2, PauseMs - before.PauseMs);

        public override string ToString() => $"GCs gen0 {Gen0} gen1 {Gen1} gen2 {Gen2}, paused {PauseMs:0.0} ms";
    }

    /// <summary>The three network forms measured, in the order they run.</summary>
    public readonly record struct Results(Figures SidecarNumbers, Figures SidecarBase64, Figures Protocol);

    /// <summary>
    /// Runs every query through the sidecar with the vector as a JSON array of numbers, then as base64 float32s,
    /// then through the binary protocol; <paramref name="expected"/> holds the in-process entry ids (0 = miss).
    /// </summary>
    public async Task<Results> MeasureAsync(IReadOnlyList<(string Category, string Prompt, float[] Vector)> queries, long[] expected)
    {
        await using StoreServerHost host = await StoreServerHost.StartAsync(
            new StoreServerOptions { Port = 0, AdminPort = 0, BindAddress = IPAddress.Loopback }, database, [cache]).ConfigureAwait(false);
        Figures numbers = await HttpAsync(host, queries, expected, base64: false).ConfigureAwait(false);
        Figures base64 = await HttpAsync(host, queries, expected, base64: true).ConfigureAwait(false);
        Figures protocol = await BinaryAsync(host, queries, expected).ConfigureAwait(false);
        return new Results(numbers, base64, protocol);
    }

    private async Task<Figures> HttpAsync(StoreServerHost host, IReadOnlyList<(string Category, string Prompt, float[] Vector)> queries, long[] expected, bool base64)
    {
        using var handler = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5), UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://{host.AdminEndpoint}") };
        var uri = new Uri($"/v1/caches/{cache.Name}/lookup", UriKind.Relative);

        // Request bodies are serialized before the clock runs (a gateway has its own JSON cost either way).
        byte[][] bodies = [.. queries.Select(q => Body(q.Category, q.Prompt, q.Vector, base64))];
        var mediaType = new MediaTypeHeaderValue("application/json");
        for (int i = 0; i < Warmup; i++)
        {
            await SendAsync(http, uri, bodies[i % bodies.Length], mediaType).ConfigureAwait(false);
        }

        long[] ticks = new long[bodies.Length];
        int agreed = 0;
        GcActivity before = GcActivity.Now();
        for (int i = 0; i < bodies.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            long id = await SendAsync(http, uri, bodies[i], mediaType).ConfigureAwait(false);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            agreed += id == expected[i] ? 1 : 0;
        }

        return Summarize(ticks, agreed, GcActivity.Now().Since(before));
    }

    private async Task<Figures> BinaryAsync(StoreServerHost host, IReadOnlyList<(string Category, string Prompt, float[] Vector)> queries, long[] expected)
    {
        await using StoreClient client = await StoreClient.ConnectAsync($"127.0.0.1:{host.Endpoint.Port}").ConfigureAwait(false);
        using RemoteSemanticCache remote = await client.OpenSemanticCacheAsync(cache.Name).ConfigureAwait(false);
        for (int i = 0; i < Warmup; i++)
        {
            (string category, string prompt, float[] vector) = queries[i % queries.Count];
            await remote.LookupAsync(new CacheQuery(partition, category, prompt, vector)).ConfigureAwait(false);
        }

        long[] ticks = new long[queries.Count];
        int agreed = 0;
        GcActivity before = GcActivity.Now();
        for (int i = 0; i < queries.Count; i++)
        {
            (string category, string prompt, float[] vector) = queries[i];
            long start = Stopwatch.GetTimestamp();
            CacheLookupResult result = await remote.LookupAsync(new CacheQuery(partition, category, prompt, vector)).ConfigureAwait(false);
            ticks[i] = Stopwatch.GetTimestamp() - start;
            agreed += (result.IsHit ? result.EntryId : 0) == expected[i] ? 1 : 0;
        }

        return Summarize(ticks, agreed, GcActivity.Now().Since(before));
    }

    /// <summary>Posts one lookup and reads the whole reply; returns the answering entry id (0 on a miss).</summary>
    private static async Task<long> SendAsync(HttpClient http, Uri uri, byte[] body, MediaTypeHeaderValue mediaType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = mediaType;
        using HttpResponseMessage response = await http.PostAsync(uri, content).ConfigureAwait(false);
        byte[] reply = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"sidecar lookup answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(reply)}");
        }

        using var document = JsonDocument.Parse(reply);
        return document.RootElement.GetProperty("hit").GetBoolean() ? document.RootElement.GetProperty("entryId").GetInt64() : 0;
    }

    /// <summary>A lookup body; the vector as a JSON array of numbers, or as base64 of little-endian float32s (what an embeddings API returns with encoding_format "base64").</summary>
    private byte[] Body(string category, string prompt, float[] vector, bool base64)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("partition");
            json.WriteString("tenant", partition.Tenant);
            json.WriteString("model", partition.Model);
            json.WriteString("systemPrompt", partition.SystemPrompt);
            json.WriteEndObject();
            json.WriteString("category", category);
            json.WriteString("prompt", prompt);
            if (base64)
            {
                json.WriteBase64String("vectorBase64", MemoryMarshal.AsBytes(vector.AsSpan()));
            }
            else
            {
                json.WriteStartArray("vector");
                foreach (float x in vector)
                {
                    json.WriteNumberValue(x);
                }

                json.WriteEndArray();
            }
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static Figures Summarize(long[] ticks, int agreed, GcActivity gc)
    {
        Array.Sort(ticks);
        return new Figures(Ms(ticks[(int)(ticks.Length * 0.50)]), Ms(ticks[Math.Min(ticks.Length - 1, (int)(ticks.Length * 0.99))]), agreed, ticks.Length, gc);
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
