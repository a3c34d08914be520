using System.Text;
using Store.Client.Protocol;
using Store.Client.Tests.Fakes;
using Store.Kv;
using static Store.Client.Tests.ClientTransportTests;

namespace Store.Client.Tests;

/// <summary>Encodings of the operations against the fake server's small keyspace, and streamed scans.</summary>
public sealed class ClientOperationTests
{
    [Fact]
    public async Task Set_get_delete_and_conditions_round_trip()
    {
        await using var server = FakeServer.Start(new FakeKv().Handle);
        await using var client = await ConnectAsync(server);
        IKeyspaceStore keyspace = client.Default;
        WriteResult first = await keyspace.SetAsync(Bytes("a"), Bytes("1"));
        Assert.True(first.Written);
        Assert.Equal(WriteStatus.ConditionFailed, (await keyspace.SetAsync(Bytes("a"), Bytes("2"), new SetOptions { Condition = WriteCondition.IfAbsent })).Status);
        StoredValue? read = await keyspace.GetAsync(Bytes("a"));
        Assert.Equal("1", Encoding.UTF8.GetString(read!.Value.Value));
        Assert.Equal(first.Version, read.Value.Version);
        Assert.Null(read.Value.ExpiresAt);
        Assert.True(await keyspace.DeleteAsync(Bytes("a")));
        Assert.False(await keyspace.DeleteAsync(Bytes("a")));
        Assert.Null(await keyspace.GetAsync(Bytes("a")));
    }

    [Fact]
    public async Task Set_sends_ttl_category_condition_and_version()
    {
        await using var server = FakeServer.Start(r => FakeReply.Ok(w => w.I64(5)));
        await using var client = await ConnectAsync(server);
        await client.Default.SetAsync(Bytes("k"), Bytes("v"), new SetOptions { Ttl = TimeSpan.FromSeconds(2), Category = "sessions", Condition = WriteCondition.IfVersion, ExpectedVersion = 42 });
        var reader = new PayloadReader(server.Received.Last().Payload);
        Assert.Equal("k", Encoding.UTF8.GetString(reader.ReadBytes()));
        Assert.Equal("v", Encoding.UTF8.GetString(reader.ReadBytes()));
        Assert.Equal(2000, reader.ReadInt64());
        Assert.Equal("sessions", reader.ReadString());
        Assert.Equal(3, reader.ReadByte());
        Assert.Equal(42, reader.ReadInt64());
        reader.End();
    }

    [Fact]
    public async Task Streamed_scan_reads_every_frame_and_stops_early_on_request()
    {
        var kv = new FakeKv();
        await using var server = FakeServer.Start(kv.Handle);
        await using var client = await ConnectAsync(server);
        for (int i = 0; i < 10; i++)
        {
            await client.Default.SetAsync(Bytes($"p:{i}"), Bytes($"v{i}"));
        }

        await client.Default.SetAsync(Bytes("q:0"), Bytes("other"));
        var all = new List<string>();
        await foreach (var item in client.Default.ScanPrefixAsync(Bytes("p:")))
        {
            all.Add(Encoding.UTF8.GetString(item.Key));
        }

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p:{i}"), all);
        int seen = 0;
        await foreach (var item in client.Default.ScanAsync(Bytes("p:"), ReadOnlyMemory<byte>.Empty))
        {
            if (++seen == 2)
            {
                break;
            }
        }

        Assert.Equal(4, await client.Default.ScanAsync(Bytes("p:"), ReadOnlyMemory<byte>.Empty, limit: 4).CountAsync());
        Assert.Equal(11, await client.Default.CountAsync());
    }

    [Fact]
    public async Task Multi_operations_ttl_and_increment_encode_as_the_protocol_says()
    {
        await using var server = FakeServer.Start(r => r.Header.Opcode switch
        {
            Opcode.MultiGet => FakeReply.Ok(w => w.U32(2).U8(1).Bytes(Bytes("x")).U8(0).Bytes([])),
            Opcode.MultiSet => FakeReply.Of(StatusCode.Ok, []),
            Opcode.Increment => FakeReply.Ok(w => w.I64(11)),
            Opcode.TimeToLive when r.FirstBytesFieldText() == "none" => FakeReply.Of(StatusCode.NotFound, []),
            Opcode.TimeToLive when r.FirstBytesFieldText() == "forever" => FakeReply.Ok(w => w.I64(-1)),
            Opcode.TimeToLive => FakeReply.Ok(w => w.I64(1500)),
            Opcode.Expire or Opcode.Persist => FakeReply.Ok(w => w.U8(1)),
            _ => FakeReply.Error(StatusCode.UnknownOpcode, "?"),
        });
        await using var client = await ConnectAsync(server);
        IKeyspaceStore keyspace = client.Default;
        byte[]?[] values = await keyspace.MultiGetAsync([Bytes("a"), Bytes("b")]);
        Assert.Equal("x", Encoding.UTF8.GetString(values[0]!));
        Assert.Null(values[1]);
        await keyspace.MultiSetAsync([new(Bytes("a"), Bytes("1")), new(Bytes("b"), Bytes("2"))], TimeSpan.FromSeconds(1), "c");
        var multiSet = new PayloadReader(server.Received.Last().Payload);
        Assert.Equal(2u, multiSet.ReadUInt32());
        Assert.Equal("a", Encoding.UTF8.GetString(multiSet.ReadBytes()));
        Assert.Equal("1", Encoding.UTF8.GetString(multiSet.ReadBytes()));
        multiSet.ReadBytes();
        multiSet.ReadBytes();
        Assert.Equal(1000, multiSet.ReadInt64());
        Assert.Equal("c", multiSet.ReadString());
        multiSet.End();
        Assert.Equal(11, await keyspace.IncrementAsync(Bytes("n"), 10));
        Assert.Equal(TimeToLiveResult.Missing, await keyspace.TimeToLiveAsync(Bytes("none")));
        Assert.Equal(new TimeToLiveResult(true, null), await keyspace.TimeToLiveAsync(Bytes("forever")));
        Assert.Equal(new TimeToLiveResult(true, TimeSpan.FromMilliseconds(1500)), await keyspace.TimeToLiveAsync(Bytes("k")));
        Assert.True(await keyspace.ExpireAsync(Bytes("k"), TimeSpan.FromSeconds(3)));
        Assert.True(await keyspace.PersistAsync(Bytes("k")));
    }
}
