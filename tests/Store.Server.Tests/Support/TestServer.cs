using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>A server on ephemeral loopback ports over a temp directory, both cleaned up on dispose.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private TestServer(StoreServerHost host, TempDirectory? ownedDirectory, CapturingLoggerFactory logs)
    {
        Host = host;
        _ownedDirectory = ownedDirectory;
        Logs = logs;
    }

    public StoreServerHost Host { get; }

    public CapturingLoggerFactory Logs { get; }

    /// <summary>Options for a test server: ephemeral ports, the given directory (a new temp one if null), defaults otherwise.</summary>
    public static StoreServerOptions Options(string directory, CapturingLoggerFactory? logs = null) => new()
    {
        DataDirectory = directory,
        Port = 0,
        AdminPort = 0,
        LoggerFactory = logs,
    };

    /// <summary>Starts a server; <paramref name="configure"/> receives the data directory and the log sink and returns the options.</summary>
    public static async Task<TestServer> StartAsync(Func<string, CapturingLoggerFactory, StoreServerOptions>? configure = null, TempDirectory? directory = null)
    {
        TempDirectory? owned = directory is null ? new TempDirectory() : null;
        string path = (directory ?? owned)!.Path;
        var logs = new CapturingLoggerFactory();
        StoreServerOptions options = configure?.Invoke(path, logs) ?? Options(path, logs);
        StoreServerHost host = await StoreServerHost.StartAsync(options);
        return new TestServer(host, owned, logs);
    }

    public Task<RawConnection> OpenAsync(string token = "") => RawConnection.OpenAsync(Host.Endpoint, token);

    public Task<RawConnection> ConnectAsync() => RawConnection.ConnectAsync(Host.Endpoint);

    public async Task<(int Status, string Body)> GetAdminAsync(string path)
    {
        using var http = new HttpClient { Timeout = RawConnection.ReadGuard };
        using HttpResponseMessage response = await http.GetAsync(new Uri($"http://{Host.AdminEndpoint}{path}"));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (a bounded wait for the server to notice something).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + RawConnection.ReadGuard;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Asserts no request failed with Internal and no connection failed unexpectedly.</summary>
    public void AssertNoServerFaults()
    {
        Assert.Empty(Logs.Errors);
        string metrics = MetricsText();
        Assert.DoesNotContain($"status=\"{StatusCode.Internal}\"", metrics, StringComparison.Ordinal);
    }

    public string MetricsText()
    {
        var text = new System.Text.StringBuilder();
        Host.Metrics.WriteText(text, Host.Database, Host.IsStopping);
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
