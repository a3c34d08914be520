using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>A stop answers what was read, refuses what comes after with ShuttingDown, and leaves the data durable.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Requests_in_flight_at_stop_are_answered_and_acknowledged_writes_survive_a_restart()
    {
        using var directory = new TempDirectory();
        var acknowledged = new List<uint>();
        const int Count = 3000;
        TestServer server = await TestServer.StartAsync(directory: directory);
        await using (RawConnection client = await server.OpenAsync())
        {
            await client.SendAsync([.. Enumerable.Range(0, Count).Select(i => Requests.Set((uint)i, 0, Frame.Bytes($"d{i}"), BitConverter.GetBytes(i)))]);
            Frame first = await client.ReadAsync();
            Assert.Equal(StatusCode.Ok, first.Status);
            acknowledged.Add(first.RequestId);
            Task stop = server.Host.StopAsync();
            foreach (Frame reply in await client.ReadUntilClosedAsync())
            {
                Assert.True(reply.Status is StatusCode.Ok or StatusCode.ShuttingDown, reply.ToString());
                if (reply.Status == StatusCode.Ok)
                {
                    acknowledged.Add(reply.RequestId);
                }
            }

            await stop;
        }

        await server.DisposeAsync();
        await using TestServer restarted = await TestServer.StartAsync(directory: directory);
        await using RawConnection reader = await restarted.OpenAsync();
        foreach (uint id in acknowledged)
        {
            Frame get = await reader.RequestAsync(Requests.Get(id, 0, Frame.Bytes($"d{id}")));
            Assert.Equal(StatusCode.Ok, get.Status);
            Assert.Equal(BitConverter.GetBytes((int)id), get.GetReply().Value);
        }

        restarted.AssertNoServerFaults();
    }

    [Fact]
    public async Task Once_stopping_new_requests_get_ShuttingDown_and_the_connection_closes()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection early = await server.OpenAsync();
        server.Host.BeginShutdown();
        Assert.Empty(await early.ReadUntilClosedAsync());

        await using RawConnection late = await server.ConnectAsync();
        await late.SendAsync(Requests.Hello(1));
        Frame reply = Assert.Single(await late.ReadUntilClosedAsync());
        Assert.Equal(StatusCode.ShuttingDown, reply.Status);
        Assert.Contains("stopping", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_host_releases_its_directory_and_StopAsync_is_idempotent()
    {
        using var directory = new TempDirectory();
        TestServer server = await TestServer.StartAsync(directory: directory);
        await Assert.ThrowsAsync<DatabaseLockedException>(() => StoreServerHost.StartAsync(TestServer.Options(directory.Path)));
        await server.Host.StopAsync();
        await server.Host.StopAsync();
        await server.DisposeAsync();
        await using TestServer again = await TestServer.StartAsync(directory: directory);
        await using RawConnection client = await again.OpenAsync();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Ping(1, []))).Status);
    }
}
