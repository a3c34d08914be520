using Store.Client.Protocol;
using Store.Client.Tests.Fakes;
using static Store.Client.Tests.ClientTransportTests;

namespace Store.Client.Tests;

/// <summary>Error statuses become the exceptions the embedded store throws where one fits; bad arguments never leave the client.</summary>
public sealed class ClientErrorTests
{
    [Fact]
    public async Task Status_codes_map_to_typed_exceptions()
    {
        await using var server = FakeServer.Start(r => r.FirstBytesFieldText() switch
        {
            "wrongtype" => FakeReply.Error(StatusCode.WrongType, "not an integer"),
            "invalid" => FakeReply.Error(StatusCode.InvalidArgument, "ttl out of range"),
            "big" => FakeReply.Error(StatusCode.ValueTooLarge, "value too large"),
            "forbidden" => FakeReply.Error(StatusCode.Forbidden, "tenant t1 may not use keyspace default"),
            "gone" => FakeReply.Error(StatusCode.UnknownKeyspace, "no such keyspace"),
            _ => FakeReply.Of(StatusCode.Internal, []),
        });
        await using var client = await ConnectAsync(server);
        IKeyspaceStore keyspace = client.Default;
        await Assert.ThrowsAsync<ValueNotIntegerException>(() => keyspace.IncrementAsync(Bytes("wrongtype")).AsTask());
        var invalid = await Assert.ThrowsAsync<StoreArgumentException>(() => keyspace.GetAsync(Bytes("invalid")).AsTask());
        Assert.Equal(StatusCode.InvalidArgument, invalid.Status);
        Assert.IsAssignableFrom<ArgumentException>(await Assert.ThrowsAsync<StoreArgumentException>(() => keyspace.SetAsync(Bytes("big"), Bytes("v")).AsTask()));
        var forbidden = await Assert.ThrowsAsync<StoreServerException>(() => keyspace.DeleteAsync(Bytes("forbidden")).AsTask());
        Assert.Equal(StatusCode.Forbidden, forbidden.Status);
        Assert.Equal("tenant t1 may not use keyspace default", forbidden.Message);
        var missing = await Assert.ThrowsAsync<KeyspaceNotFoundException>(() => keyspace.PersistAsync(Bytes("gone")).AsTask());
        Assert.Equal("default", missing.Name);
        var bare = await Assert.ThrowsAsync<StoreServerException>(() => keyspace.GetAsync(Bytes("other")).AsTask());
        Assert.Contains("Internal", bare.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_keyspace_on_open_is_KeyspaceNotFoundException()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle);
        await using var client = await ConnectAsync(server);
        var error = await Assert.ThrowsAsync<KeyspaceNotFoundException>(() => client.GetKeyspaceAsync("missing-one").AsTask());
        Assert.Equal("missing-one", error.Name);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_sending()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle);
        await using var client = await ConnectAsync(server);
        IKeyspaceStore keyspace = client.Default;
        await Assert.ThrowsAsync<ArgumentException>(() => keyspace.GetAsync(ReadOnlyMemory<byte>.Empty).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keyspace.SetAsync(Bytes("k"), Bytes("v"), new SetOptions { Ttl = TimeSpan.Zero }).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keyspace.ExpireAsync(Bytes("k"), TimeSpan.FromSeconds(-1)).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => keyspace.SetAsync(Bytes("k"), Bytes("v"), new SetOptions { Condition = (Kv.WriteCondition)9 }).AsTask());
        Assert.DoesNotContain(server.Received, r => r.Header.Opcode is Opcode.Get or Opcode.Set or Opcode.Expire);
    }

    [Fact]
    public async Task A_frame_over_the_servers_limit_is_refused_locally()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle, maxFrameBytes: 1024);
        await using var client = await ConnectAsync(server);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.Default.SetAsync(Bytes("k"), new byte[2000]).AsTask());
        Assert.Contains("MaxFrameBytes", error.Message, StringComparison.Ordinal);
        Assert.True((await client.Default.SetAsync(Bytes("k"), new byte[100])).Written);
    }

    [Fact]
    public void Options_are_validated_with_the_field_named()
    {
        var none = Assert.Throws<ArgumentOutOfRangeException>(() => new StoreClientOptions().Validate());
        Assert.Contains("Endpoints", none.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new StoreClientOptions { Endpoints = ["no-port"] }.Validate());
        var pool = Assert.Throws<ArgumentOutOfRangeException>(() => new StoreClientOptions { Endpoints = ["localhost:1"], PoolSize = 0 }.Validate());
        Assert.Contains("PoolSize", pool.Message, StringComparison.Ordinal);
        new StoreClientOptions { Endpoints = ["localhost:7000", "[::1]:7000", "10.0.0.1:7000"] }.Validate();
    }
}
