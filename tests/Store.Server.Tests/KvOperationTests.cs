using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server.Tests;

/// <summary>Every KV operation of docs/protocol.md against a live server, through raw frames.</summary>
public sealed class KvOperationTests
{
    private static readonly byte[] Key = Frame.Bytes("k1");

    [Fact]
    public async Task Ping_echoes_its_payload_and_OpenKeyspace_hands_out_handles()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        Frame ping = await client.RequestAsync(Requests.Ping(5, [9, 8, 7]));
        Assert.Equal(StatusCode.Ok, ping.Status);
        Assert.Equal(5u, ping.RequestId);
        Assert.Equal(Opcode.Ping, ping.Header.Opcode);
        Assert.Equal(new byte[] { 9, 8, 7 }, ping.Payload);

        Frame missing = await client.RequestAsync(Requests.OpenKeyspace(1, "orders", create: false));
        Assert.Equal(StatusCode.UnknownKeyspace, missing.Status);
        uint orders = (await client.RequestAsync(Requests.OpenKeyspace(2, "orders"))).UInt32();
        Assert.NotEqual(0u, orders);
        Assert.Equal(orders, (await client.RequestAsync(Requests.OpenKeyspace(3, "orders", create: false))).UInt32());
        Assert.Equal(StatusCode.UnknownKeyspace, (await client.RequestAsync(Requests.Get(4, 99, Key))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.OpenKeyspace(5, "$engine"))).Status);

        // Keyspaces are separate: a key in one is absent from the other.
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(6, orders, Key, [1]))).Status);
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.Get(7, 0, Key))).Status);
        Assert.Contains("orders", server.Host.Database.Keyspaces);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Set_Get_Delete_with_versions_conditions_and_ttl()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.Get(1, 0, Key))).Status);

        long v1 = (await client.RequestAsync(Requests.Set(2, 0, Key, Frame.Bytes("one")))).Int64();
        (byte[] value, long version, long expires) = (await client.RequestAsync(Requests.Get(3, 0, Key))).GetReply();
        Assert.Equal("one", System.Text.Encoding.UTF8.GetString(value));
        Assert.Equal(v1, version);
        Assert.Equal(0, expires);

        Assert.Equal(StatusCode.ConditionFailed, (await client.RequestAsync(Requests.Set(4, 0, Key, [2], condition: 1))).Status);
        Assert.Equal(StatusCode.ConditionFailed, (await client.RequestAsync(Requests.Set(5, 0, Key, [2], condition: 3, expectedVersion: v1 + 1000))).Status);
        Frame ifVersion = await client.RequestAsync(Requests.Set(6, 0, Key, Frame.Bytes("two"), condition: 3, expectedVersion: v1));
        Assert.Equal(StatusCode.Ok, ifVersion.Status);
        Assert.True(ifVersion.Int64() > v1);
        Assert.Equal(StatusCode.ConditionFailed, (await client.RequestAsync(Requests.Set(7, 0, Frame.Bytes("absent"), [1], condition: 2))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Set(8, 0, Key, [1], condition: 4))).Status);

        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(9, 0, Key, [3], ttlMs: 3_600_000))).Status);
        (_, _, expires) = (await client.RequestAsync(Requests.Get(10, 0, Key))).GetReply();
        Assert.InRange(expires, before + 3_600_000, before + 3_700_000);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Set(11, 0, Key, [3], ttlMs: 0))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Set(12, 0, Key, [3], ttlMs: -2))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Set(13, 0, Key, [3], category: "nope"))).Status);

        Assert.True((await client.RequestAsync(Requests.Delete(14, 0, Key))).Flag());
        Assert.False((await client.RequestAsync(Requests.Delete(15, 0, Key))).Flag());
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.Get(16, 0, Key))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Set_with_a_category_uses_the_keyspaces_policy()
    {
        await using TestServer server = await TestServer.StartAsync();
        server.Host.Database.GetOrCreateKeyspace("default").DefineCategory("session", new CategoryPolicy { DefaultTtl = TimeSpan.FromHours(1) });
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(1, 0, Key, [1], category: "session"))).Status);
        long ttl = (await client.RequestAsync(Requests.TimeToLive(2, 0, Key))).Int64();
        Assert.InRange(ttl, 3_500_000, 3_600_000);
    }

    [Fact]
    public async Task Increment_counts_and_refuses_non_integers()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(5, (await client.RequestAsync(Requests.Increment(1, 0, Key, 5))).Int64());
        Assert.Equal(2, (await client.RequestAsync(Requests.Increment(2, 0, Key, -3))).Int64());
        Assert.Equal("2", System.Text.Encoding.UTF8.GetString((await client.RequestAsync(Requests.Get(3, 0, Key))).GetReply().Value));
        await client.RequestAsync(Requests.Set(4, 0, Key, Frame.Bytes("not a number")));
        Frame wrong = await client.RequestAsync(Requests.Increment(5, 0, Key, 1));
        Assert.Equal(StatusCode.WrongType, wrong.Status);
        Assert.NotEmpty(wrong.Message);
        await client.RequestAsync(Requests.Set(6, 0, Key, Frame.Bytes(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(StatusCode.WrongType, (await client.RequestAsync(Requests.Increment(7, 0, Key, 1))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task MultiGet_and_MultiSet()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        (byte[], byte[])[] items = [.. Enumerable.Range(0, 50).Select(i => (Frame.Bytes($"m{i}"), Frame.Bytes($"value {i}")))];
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.MultiSet(1, 0, items))).Status);
        Frame reply = await client.RequestAsync(Requests.MultiGet(2, 0, Frame.Bytes("m3"), Frame.Bytes("missing"), Frame.Bytes("m49")));
        List<byte[]?> values = reply.MultiGetReply();
        Assert.Equal(Frame.Bytes("value 3"), values[0]);
        Assert.Null(values[1]);
        Assert.Equal(Frame.Bytes("value 49"), values[2]);
        Assert.Equal(50, (await client.RequestAsync(Requests.Count(3, 0))).Int64());

        // One bad item writes nothing.
        Frame bad = await client.RequestAsync(Requests.MultiSet(4, 0, [(Frame.Bytes("new1"), [1]), ([], [2])]));
        Assert.Equal(StatusCode.InvalidArgument, bad.Status);
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.Get(5, 0, Frame.Bytes("new1")))).Status);
        Assert.Empty((await client.RequestAsync(Requests.MultiGet(6, 0))).MultiGetReply());
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Expire_Persist_and_TimeToLive()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.TimeToLive(1, 0, Key))).Status);
        Assert.False((await client.RequestAsync(Requests.Expire(2, 0, Key, 1000))).Flag());
        Assert.False((await client.RequestAsync(Requests.Persist(3, 0, Key))).Flag());
        await client.RequestAsync(Requests.Set(4, 0, Key, [1]));
        Assert.Equal(-1, (await client.RequestAsync(Requests.TimeToLive(5, 0, Key))).Int64());
        Assert.True((await client.RequestAsync(Requests.Expire(6, 0, Key, 60_000))).Flag());
        Assert.InRange((await client.RequestAsync(Requests.TimeToLive(7, 0, Key))).Int64(), 1, 60_000);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Expire(8, 0, Key, -1))).Status);
        Assert.True((await client.RequestAsync(Requests.Persist(9, 0, Key))).Flag());
        Assert.Equal(-1, (await client.RequestAsync(Requests.TimeToLive(10, 0, Key))).Int64());

        // A key whose TTL passed is gone.
        Assert.True((await client.RequestAsync(Requests.Expire(11, 0, Key, 1))).Flag());
        await TestServer.WaitUntilAsync(() => !server.Host.Database.GetKeyspace("default").TryGetInfo(Key, out _), "the key to expire");
        Assert.Equal(StatusCode.NotFound, (await client.RequestAsync(Requests.Get(12, 0, Key))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Size_limits_and_bad_payloads_get_typed_statuses_and_the_connection_stays_open()
    {
        await using TestServer server = await TestServer.StartAsync((dir, logs) => new StoreServerOptions
        {
            DataDirectory = dir,
            Port = 0,
            AdminPort = null,
            LoggerFactory = logs,
            DatabaseOptions = new DatabaseOptions { MaxKeyLength = 100, MaxValueLength = 1000, SegmentSize = 1 << 20 },
        });
        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.KeyTooLarge, (await client.RequestAsync(Requests.Set(1, 0, new byte[101], [1]))).Status);
        Assert.Equal(StatusCode.KeyTooLarge, (await client.RequestAsync(Requests.Get(2, 0, new byte[101]))).Status);
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Get(3, 0, []))).Status);
        Assert.Equal(StatusCode.ValueTooLarge, (await client.RequestAsync(Requests.Set(4, 0, Key, new byte[1001]))).Status);
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(5, 0, Key, new byte[1000]))).Status);

        byte[] trailing = Requests.Frame(Opcode.Get, 6, 0, 4 + 2 + 1, (ref PayloadWriter w) =>
        {
            w.WriteBytes(Key);
            w.Write((byte)0);
        });
        Frame bad = await client.RequestAsync(trailing);
        Assert.Equal(StatusCode.BadRequest, bad.Status);
        Assert.Contains("unexpected bytes", bad.Message, StringComparison.Ordinal);
        byte[] shortPayload = Requests.Frame(Opcode.Set, 7, 0, 3, (ref PayloadWriter w) => w.WriteRaw([1, 0, 0]));
        Assert.Equal(StatusCode.BadRequest, (await client.RequestAsync(shortPayload)).Status);
        byte[] hugeCount = Requests.Frame(Opcode.MultiGet, 8, 0, 4, (ref PayloadWriter w) => w.Write(uint.MaxValue));
        Assert.Equal(StatusCode.BadRequest, (await client.RequestAsync(hugeCount)).Status);

        Frame unknown = await client.RequestAsync(Requests.Frame((Opcode)0x7E, 9, 0, 0, (ref PayloadWriter w) => { }));
        Assert.Equal(StatusCode.UnknownOpcode, unknown.Status);
        Assert.Equal((Opcode)0x7E, unknown.Header.Opcode);
        Assert.Equal(StatusCode.BadRequest, (await client.RequestAsync(Requests.Hello(10))).Status);
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Ping(11, []))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task Pipelined_requests_are_all_answered_by_id()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        const int Count = 2000;
        byte[][] frames = new byte[Count][];
        for (uint i = 0; i < Count; i++)
        {
            byte[] key = Frame.Bytes($"p{i % 100}");
            frames[i] = (i % 2) == 0 ? Requests.Set(i, 0, key, BitConverter.GetBytes(i)) : Requests.Get(i, 0, key);
        }

        await client.SendAsync(frames);
        var seen = new HashSet<uint>();
        for (int i = 0; i < Count; i++)
        {
            Frame reply = await client.ReadAsync();
            Assert.True(reply.Status is StatusCode.Ok or StatusCode.NotFound, reply.ToString());
            Assert.True(seen.Add(reply.RequestId));
        }

        Assert.Equal(Count, seen.Count);
        server.AssertNoServerFaults();
    }
}
