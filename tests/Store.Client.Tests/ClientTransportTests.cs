using System.Text;
using Store.Client.Protocol;
using Store.Client.Tests.Fakes;

namespace Store.Client.Tests;

/// <summary>The multiplexed connection against the fake server: handshake, reply matching, timeouts, cancellation.</summary>
public sealed class ClientTransportTests
{
    internal static Task<StoreClient> ConnectAsync(FakeServer server, TimeSpan? timeout = null, string? token = null, int poolSize = 1) =>
        StoreClient.ConnectAsync(new StoreClientOptions
        {
            Endpoints = [server.Endpoint],
            Token = token,
            PoolSize = poolSize,
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        });

    internal static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Handshake_sends_version_range_token_and_name()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle, requiredToken: "secret");
        await using var client = await ConnectAsync(server, token: "secret");
        FakeRequest hello = Assert.Single(server.Received, r => r.Header.Opcode == Opcode.Hello);
        Assert.Equal(((ushort)1, (ushort)1), hello.HelloVersions);
        Assert.Equal("secret", hello.HelloToken);
        Assert.Equal("Store.Client", hello.HelloClientName);
        Assert.Equal("fake-server 1.0", client.ServerName);
    }

    [Fact]
    public async Task Wrong_token_is_refused_with_Unauthorized()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle, requiredToken: "secret");
        var error = await Assert.ThrowsAsync<StoreServerException>(() => ConnectAsync(server, token: "guess"));
        Assert.Equal(StatusCode.Unauthorized, error.Status);
        Assert.Contains("unknown token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_fails_with_a_connection_error()
    {
        FakeServer server = FakeServer.Start(new FakeKv().Handle);
        await server.DisposeAsync();
        await Assert.ThrowsAsync<StoreConnectionException>(() => ConnectAsync(server));
    }

    [Fact]
    public async Task Replies_out_of_order_reach_their_own_callers()
    {
        await using var server = FakeServer.Start(_ => null);
        await using var client = await ConnectAsync(server);
        const int count = 64;
        var gets = Enumerable.Range(0, count).Select(i => client.Default.GetAsync(Bytes($"k{i}")).AsTask()).ToArray();
        var held = new List<FakeRequest>();
        while (held.Count < count)
        {
            held.Add(await server.Held.ReadAsync());
        }

        Assert.Equal(count, held.Select(r => r.Header.RequestId).Distinct().Count());
        held.Reverse();
        foreach (FakeRequest request in held)
        {
            string key = request.FirstBytesFieldText();
            await request.ReplyAsync(StatusCode.Ok, FakeReply.Build(w => w.Bytes(Bytes("value-of-" + key)).I64(7).I64(0)));
        }

        for (int i = 0; i < count; i++)
        {
            StoredValue? value = await gets[i];
            Assert.Equal($"value-of-k{i}", Encoding.UTF8.GetString(value!.Value.Value));
        }
    }

    [Fact]
    public async Task Many_concurrent_callers_share_one_connection()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server);
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async caller =>
        {
            for (int i = 0; i < 50; i++)
            {
                byte[] key = Bytes($"c{caller}-{i}");
                await client.Default.SetAsync(key, Bytes($"v{caller}-{i}"));
                StoredValue? read = await client.Default.GetAsync(key);
                Assert.Equal($"v{caller}-{i}", Encoding.UTF8.GetString(read!.Value.Value));
            }
        }));
        Assert.Equal(1, server.AcceptedConnections);
        Assert.Equal(32 * 50, await client.Default.CountAsync());
    }

    [Fact]
    public async Task A_caller_that_blocks_on_another_request_in_its_continuation_does_not_stall_the_connection()
    {
        // Replies are handed to callers in batches off the receive loop; a continuation that waits
        // synchronously for another reply must get it from a later batch, not deadlock the reader.
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server);
        await client.Default.SetAsync(Bytes("shared"), Bytes("value"));
        Task[] callers = [.. Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            for (int i = 0; i < 20; i++)
            {
                await client.Default.SetAsync(Bytes($"b{caller}-{i}"), Bytes("v"));
                StoredValue? read = client.Default.GetAsync(Bytes("shared")).AsTask().GetAwaiter().GetResult();
                Assert.Equal("value", Encoding.UTF8.GetString(read!.Value.Value));
            }
        }))];
        Task all = Task.WhenAll(callers);
        Assert.Same(all, await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))));
        await all;
        Assert.Equal(1 + (4 * 20), await client.Default.CountAsync());
    }

    [Fact]
    public async Task Pool_opens_each_connection_and_spreads_requests()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server, poolSize: 3);
        Assert.Equal(3, server.AcceptedConnections);
        for (int i = 0; i < 9; i++)
        {
            await client.Default.SetAsync(Bytes($"k{i}"), Bytes("v"));
        }

        Assert.Equal(3, server.Received.Where(r => r.Header.Opcode == Opcode.Set).Select(r => r.Connection).Distinct().Count());
    }

    [Fact]
    public async Task A_request_without_reply_times_out_and_the_connection_goes_on()
    {
        await using var server = FakeServer.Start(r => r.FirstBytesFieldText() == "slow" ? null : new FakeKv().Handle(r));
        await using var client = await ConnectAsync(server, timeout: TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.Default.GetAsync(Bytes("slow")).AsTask());
        Assert.Contains("Get", error.Message, StringComparison.Ordinal);
        FakeRequest late = await server.Held.ReadAsync();
        await late.ReplyAsync(StatusCode.Ok, FakeReply.Build(w => w.Bytes(Bytes("late")).I64(1).I64(0)));
        Assert.Null(await client.Default.GetAsync(Bytes("fast")));
    }

    [Fact]
    public async Task Cancellation_fails_only_the_canceled_request()
    {
        await using var server = FakeServer.Start(_ => null);
        await using var client = await ConnectAsync(server);
        using var cancel = new CancellationTokenSource();
        Task<StoredValue?> canceled = client.Default.GetAsync(Bytes("a"), cancel.Token).AsTask();
        Task<StoredValue?> kept = client.Default.GetAsync(Bytes("b")).AsTask();
        FakeRequest first = await server.Held.ReadAsync();
        FakeRequest second = await server.Held.ReadAsync();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        foreach (FakeRequest request in new[] { first, second })
        {
            await request.ReplyAsync(StatusCode.NotFound, []);
        }

        Assert.Null(await kept);
    }

    [Fact]
    public async Task A_token_canceled_before_the_call_sends_nothing()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle);
        await using var client = await ConnectAsync(server);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Default.GetAsync(Bytes("a"), new CancellationToken(true)).AsTask());
        Assert.DoesNotContain(server.Received, r => r.Header.Opcode == Opcode.Get);
    }

    [Fact]
    public async Task Ping_round_trips()
    {
        await using var server = FakeServer.Start(r => FakeReply.Of(StatusCode.Ok, r.Payload));
        await using var client = await ConnectAsync(server);
        Assert.True(await client.PingAsync() >= TimeSpan.Zero);
    }

    [Fact]
    public async Task Disposing_fails_requests_in_flight()
    {
        await using var server = FakeServer.Start(_ => null);
        var client = await ConnectAsync(server);
        Task<StoredValue?> pending = client.Default.GetAsync(Bytes("a")).AsTask();
        await server.Held.ReadAsync();
        await client.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.Default.GetAsync(Bytes("a")).AsTask());
    }
}
