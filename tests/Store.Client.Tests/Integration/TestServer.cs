using Store.Server;

namespace Store.Client.Tests.Integration;

/// <summary>A real <see cref="StoreServerHost"/> on a loopback port of its own with a temporary data directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(StoreServerHost host, string directory, IReadOnlyDictionary<string, string> tokens)
    {
        Host = host;
        Directory = directory;
        Tokens = tokens;
    }

    public StoreServerHost Host { get; private set; }

    public string Directory { get; }

    public IReadOnlyDictionary<string, string> Tokens { get; }

    public string Endpoint => $"127.0.0.1:{Host.Endpoint.Port}";

    public static async Task<TestServer> StartAsync(IReadOnlyDictionary<string, string>? tokens = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "store-client-it-" + Guid.NewGuid().ToString("N"));
        tokens ??= new Dictionary<string, string>();
        StoreServerHost host = await StoreServerHost.StartAsync(Options(directory, 0, tokens));
        return new TestServer(host, directory, tokens);
    }

    /// <summary>Stops the server and starts a new one on the same directory and port.</summary>
    public async Task RestartAsync()
    {
        int port = Host.Endpoint.Port;
        await Host.StopAsync(CancellationToken.None);
        await Host.DisposeAsync();
        Host = await StoreServerHost.StartAsync(Options(Directory, port, Tokens));
    }

    public Task<StoreClient> ConnectAsync(string? token = null, int poolSize = 1) => StoreClient.ConnectAsync(new StoreClientOptions
    {
        Endpoints = [Endpoint],
        Token = token,
        PoolSize = poolSize,
        RequestTimeout = TimeSpan.FromSeconds(20),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
    });

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static StoreServerOptions Options(string directory, int port, IReadOnlyDictionary<string, string> tokens) => new()
    {
        DataDirectory = directory,
        Port = port,
        AdminPort = null,
        Tokens = tokens,
        ShutdownTimeout = TimeSpan.FromSeconds(2),
    };
}
