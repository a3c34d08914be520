using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Store.Cache;
using Store.Client;

namespace Store.Server.Tests.Cache;

/// <summary>
/// A real <see cref="StoreServerHost"/> on ephemeral loopback ports serving one semantic cache ("answers",
/// dimension <see cref="Dimension"/>), with HTTP helpers for the sidecar API and a connect for the binary client.
/// </summary>
internal sealed class CacheServer : IAsyncDisposable
{
    public const string CacheName = "answers";
    public const int Dimension = 8;

    private readonly TempDirectory _directory;
    private readonly HttpClient _http;

    private CacheServer(StoreServerHost host, TempDirectory directory, CapturingLoggerFactory logs)
    {
        Host = host;
        _directory = directory;
        Logs = logs;
        _http = new HttpClient { BaseAddress = new Uri($"http://{host.AdminEndpoint}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public StoreServerHost Host { get; }

    public CapturingLoggerFactory Logs { get; }

    /// <summary>The X-Cache-Status header of the last reply (null if it had none).</summary>
    public string? LastCacheStatus { get; private set; }

    /// <summary>Whether the last reply came chunked (the sidecar writes every reply whole, with a Content-Length).</summary>
    public bool LastChunked { get; private set; }

    /// <summary>Starts a server; <paramref name="tokens"/> turn authentication on.</summary>
    public static async Task<CacheServer> StartAsync(IReadOnlyDictionary<string, string>? tokens = null, IReadOnlyCollection<string>? operators = null)
    {
        var directory = new TempDirectory();
        var logs = new CapturingLoggerFactory();
        StoreServerHost host = await StoreServerHost.StartAsync(new StoreServerOptions
        {
            DataDirectory = directory.Path,
            Port = 0,
            AdminPort = 0,
            LoggerFactory = logs,
            Tokens = tokens ?? new Dictionary<string, string>(),
            CacheOperatorTenants = operators ?? [],
            SemanticCaches = new Dictionary<string, SemanticCacheOptions> { [CacheName] = new() { Dimension = Dimension } },
        });
        return new CacheServer(host, directory, logs);
    }

    public Task<StoreClient> ConnectAsync(string? token = null) => StoreClient.ConnectAsync(new StoreClientOptions
    {
        Endpoints = [$"127.0.0.1:{Host.Endpoint.Port}"],
        Token = token,
        RequestTimeout = TimeSpan.FromSeconds(20),
    });

    /// <summary>Sends <paramref name="body"/> (JSON text or null) and returns the status and the parsed JSON reply.</summary>
    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? body, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using HttpResponseMessage response = await _http.SendAsync(request);
        LastCacheStatus = response.Headers.TryGetValues("X-Cache-Status", out IEnumerable<string>? values) ? values.Single() : null;
        LastChunked = response.Headers.TransferEncodingChunked == true;
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>GETs a text document (the Prometheus /metrics).</summary>
    public Task<string> GetTextAsync(string path) => _http.GetStringAsync(path);

    public Task<(int Status, JsonNode? Body)> PostAsync(string operation, JsonNode body, string? token = null, string cache = CacheName) =>
        SendAsync(HttpMethod.Post, $"/v1/caches/{cache}/{operation}", body.ToJsonString(), token);

    /// <summary>Asserts a typed error reply: the HTTP status and the error code, with a message.</summary>
    public static void AssertError((int Status, JsonNode? Body) reply, int status, string code)
    {
        Assert.True(reply.Status == status, $"expected {status} {code}, got {reply.Status}: {reply.Body?.ToJsonString()}");
        Assert.Equal(code, (string?)reply.Body?["error"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)reply.Body?["message"]));
    }

    public static JsonObject Partition(string? tenant, string model = "gpt-x", string? systemPrompt = "be brief")
    {
        var partition = new JsonObject { ["model"] = model, ["systemPrompt"] = systemPrompt };
        if (tenant is not null)
        {
            partition["tenant"] = tenant;
        }

        return partition;
    }

    public static JsonArray Vector(float[] vector) => new([.. vector.Select(x => (JsonNode)JsonValue.Create(x))]);

    public static JsonObject Lookup(JsonObject partition, string category, string prompt, float[] vector) => new()
    {
        ["partition"] = partition.DeepClone(),
        ["category"] = category,
        ["prompt"] = prompt,
        ["vector"] = Vector(vector),
    };

    public static JsonObject Store(JsonObject partition, string category, string prompt, float[] vector, string response) => new()
    {
        ["partition"] = partition.DeepClone(),
        ["category"] = category,
        ["prompt"] = prompt,
        ["vector"] = Vector(vector),
        ["response"] = response,
    };

    /// <summary>Asserts no request failed as a server fault.</summary>
    public void AssertNoServerFaults() => Assert.Empty(Logs.Errors);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Host.DisposeAsync();
        _directory.Dispose();
    }
}
