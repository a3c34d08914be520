using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>The first frame must be a Hello with a common version (and a token when auth is on).</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task Hello_reply_carries_version_name_and_limits()
    {
        await using TestServer server = await TestServer.StartAsync((dir, logs) =>
            new StoreServerOptions { DataDirectory = dir, Port = 0, AdminPort = 0, LoggerFactory = logs, MaxInFlightPerConnection = 77, MaxFrameBytes = 65536, ServerName = "unit" });
        await using RawConnection client = await server.ConnectAsync();
        Frame hello = await client.RequestAsync(Requests.Hello(9, min: 1, max: 5));
        Assert.Equal(StatusCode.Ok, hello.Status);
        Assert.Equal(9u, hello.RequestId);
        var reader = new PayloadReader(hello.Payload);
        Assert.Equal(1, reader.ReadUInt16());
        Assert.Equal("unit", reader.ReadString());
        Assert.Equal(65536u, reader.ReadUInt32());
        Assert.Equal(77u, reader.ReadUInt32());
        reader.End();
    }

    [Fact]
    public async Task A_request_before_Hello_gets_HandshakeRequired_and_a_close()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.ConnectAsync();
        await client.SendAsync(Requests.Get(3, 0, [1]), Requests.Get(4, 0, [1]));
        List<Frame> frames = await client.ReadUntilClosedAsync();
        Frame reply = Assert.Single(frames);
        Assert.Equal(StatusCode.HandshakeRequired, reply.Status);
        Assert.Equal(3u, reply.RequestId);
        Assert.Contains("Hello", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_common_version_gets_VersionMismatch_and_a_close()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.ConnectAsync();
        await client.SendAsync(Requests.Hello(1, min: 2, max: 4));
        Frame reply = Assert.Single(await client.ReadUntilClosedAsync());
        Assert.Equal(StatusCode.VersionMismatch, reply.Status);
        Assert.Contains("version 1", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_Hello_gets_BadRequest_and_a_close()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.ConnectAsync();
        await client.SendAsync(Requests.Frame(Opcode.Hello, 1, 0, 3, (ref PayloadWriter w) => w.WriteRaw([1, 0, 1])));
        Assert.Equal(StatusCode.BadRequest, Assert.Single(await client.ReadUntilClosedAsync()).Status);
        server.AssertNoServerFaults();
    }
}
