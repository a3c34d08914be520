using Store.Client.Protocol;
using Store.Client.Tests.Fakes;
using static Store.Client.Tests.ClientTransportTests;

namespace Store.Client.Tests;

/// <summary>Connection loss: in-flight requests fail with a typed error, new ones wait for the reconnect.</summary>
public sealed class ClientReconnectTests
{
    [Fact]
    public async Task A_dropped_connection_fails_requests_in_flight_then_reconnects()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(r => r.FirstBytesFieldText() == "hold" ? null : kv.Handle(r));
        await using var client = await ConnectAsync(server);
        Task<StoredValue?> inFlight = client.Default.GetAsync(Bytes("hold")).AsTask();
        await server.Held.ReadAsync();
        server.DropConnections();
        var error = await Assert.ThrowsAsync<StoreConnectionException>(() => inFlight);
        Assert.Contains("may or may not have been applied", error.Message, StringComparison.Ordinal);

        Assert.True((await client.Default.SetAsync(Bytes("after"), Bytes("v"))).Written);
        Assert.NotNull(await client.Default.GetAsync(Bytes("after")));
        Assert.Equal(2, server.AcceptedConnections);
    }

    [Fact]
    public async Task Requests_wait_for_a_server_that_comes_back()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server);
        await client.Default.SetAsync(Bytes("k"), Bytes("v"));
        await server.StopAsync();
        await WaitUntilAsync(() => Task.FromResult(!client.IsConnected));
        Task<StoredValue?> waiting = client.Default.GetAsync(Bytes("k")).AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        server.Restart();
        Assert.NotNull(await waiting);
    }

    [Fact]
    public async Task A_server_down_longer_than_the_timeout_fails_with_TimeoutException()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle);
        await using var client = await ConnectAsync(server, timeout: TimeSpan.FromMilliseconds(300));
        await server.StopAsync();
        await WaitUntilAsync(() => Task.FromResult(!client.IsConnected));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.Default.GetAsync(Bytes("k")).AsTask());
        Assert.Contains("No connection", error.Message, StringComparison.Ordinal);
        server.Restart();
        await WaitUntilAsync(async () => await Succeeds(() => client.Default.CountAsync().AsTask()));
    }

    [Fact]
    public async Task Keyspaces_are_opened_again_on_the_new_connection()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server);
        IKeyspaceStore users = await client.GetKeyspaceAsync("users", create: true);
        await users.SetAsync(Bytes("k"), Bytes("v"));
        uint firstHandle = server.Received.Last(r => r.Header.Opcode == Opcode.Set).Header.Handle;
        Assert.NotEqual(0u, firstHandle);

        server.DropConnections();
        await WaitUntilAsync(async () => await Succeeds(() => users.CountAsync().AsTask()));
        Assert.Equal(2, server.Received.Count(r => r.Header.Opcode == Opcode.OpenKeyspace));
        Assert.Equal(firstHandle, server.Received.Last(r => r.Header.Opcode == Opcode.Count).Header.Handle);
    }

    internal static async Task<bool> Succeeds(Func<Task> action)
    {
        try
        {
            await action();
            return true;
        }
        catch (Exception e) when (e is StoreConnectionException or TimeoutException)
        {
            return false;
        }
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 500; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("the condition did not hold within 10 s");
    }
}
