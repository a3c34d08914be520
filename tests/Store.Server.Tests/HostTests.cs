using System.Net;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>The hosting API: real bound endpoints, start failures that say why.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task Ephemeral_ports_are_reported_as_bound()
    {
        await using TestServer server = await TestServer.StartAsync();
        Assert.NotEqual(0, server.Host.Endpoint.Port);
        Assert.Equal(IPAddress.Loopback, server.Host.Endpoint.Address);
        Assert.NotNull(server.Host.AdminEndpoint);
        Assert.NotEqual(server.Host.Endpoint.Port, server.Host.AdminEndpoint!.Port);
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Ping(1, []))).Status);
    }

    [Fact]
    public async Task A_port_in_use_fails_the_start_and_releases_the_directory()
    {
        await using TestServer first = await TestServer.StartAsync();
        using var directory = new TempDirectory();
        var options = new StoreServerOptions { DataDirectory = directory.Path, Port = first.Host.Endpoint.Port, AdminPort = null };
        await Assert.ThrowsAnyAsync<IOException>(() => StoreServerHost.StartAsync(options));

        // The failed start closed its database: the directory opens again.
        await using TestServer second = await TestServer.StartAsync(directory: directory);
        Assert.Equal(directory.Path, second.Host.Database.Path);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start_before_anything_opens()
    {
        using var directory = new TempDirectory();
        string data = Path.Combine(directory.Path, "never");
        var options = new StoreServerOptions { DataDirectory = data, MaxConnections = 0 };
        ArgumentOutOfRangeException error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StoreServerHost.StartAsync(options));
        Assert.Contains("MaxConnections", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }
}
