using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>Scans stream in bounded frames with More set on all but the last.</summary>
public sealed class ScanTests
{
    [Fact]
    public async Task Range_prefix_and_limit_scans_return_keys_in_order()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        (byte[], byte[])[] items = [.. Enumerable.Range(0, 30).Select(i => (Frame.Bytes($"{(i < 20 ? "a" : "b")}{i:D3}"), Frame.Bytes($"v{i}")))];
        await client.RequestAsync(Requests.MultiSet(1, 0, items));

        List<(byte[] Key, byte[] Value)> all = Entries(await Scan(client, Requests.Scan(2, 0, [], [])));
        Assert.Equal(items.Select(i => i.Item1), all.Select(e => e.Key));
        Assert.Equal(Frame.Bytes("v7"), all[7].Value);

        List<(byte[] Key, byte[] Value)> prefix = Entries(await Scan(client, Requests.Scan(3, 0, Frame.Bytes("b"), Frame.Bytes("ignored"), prefix: true)));
        Assert.Equal(10, prefix.Count);
        Assert.All(prefix, e => Assert.Equal((byte)'b', e.Key[0]));

        List<(byte[] Key, byte[] Value)> range = Entries(await Scan(client, Requests.Scan(4, 0, Frame.Bytes("a005"), Frame.Bytes("a010"))));
        Assert.Equal(["a005", "a006", "a007", "a008", "a009"], range.Select(e => System.Text.Encoding.UTF8.GetString(e.Key)));

        List<(byte[] Key, byte[] Value)> limited = Entries(await Scan(client, Requests.Scan(5, 0, Frame.Bytes("a"), [], prefix: false, limit: 3)));
        Assert.Equal(3, limited.Count);
        Assert.Empty(Entries(await Scan(client, Requests.Scan(6, 0, Frame.Bytes("zzz"), []))));
        Assert.Equal(StatusCode.InvalidArgument, (await client.RequestAsync(Requests.Frame(Opcode.Scan, 7, 0, 13, (ref PayloadWriter w) =>
        {
            w.WriteBytes([]);
            w.WriteBytes([]);
            w.Write((byte)2);
            w.Write(0u);
        }))).Status);
        server.AssertNoServerFaults();
    }

    [Fact]
    public async Task A_large_scan_streams_in_bounded_frames_while_other_requests_follow()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawConnection client = await server.OpenAsync();
        var random = new Random(1234);
        byte[] value = new byte[1000];
        random.NextBytes(value);
        for (int batch = 0; batch < 5; batch++)
        {
            (byte[], byte[])[] items = [.. Enumerable.Range(batch * 200, 200).Select(i => (Frame.Bytes($"key{i:D5}"), value))];
            Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.MultiSet((uint)batch, 0, items))).Status);
        }

        // A scan, then a ping in the same write: the ping is answered after the scan's last frame.
        await client.SendAsync(Requests.Scan(10, 0, [], []), Requests.Ping(11, [1]));
        List<Frame> frames = await client.ReadStreamAsync();
        Assert.True(frames.Count > 10, $"{frames.Count} frames");
        Assert.All(frames, f => Assert.InRange(f.Payload.Length, 0, 64 * 1024));
        Assert.All(frames[..^1], f => Assert.True(f.More));
        Assert.False(frames[^1].More);
        List<(byte[] Key, byte[] Value)> entries = Entries(frames);
        Assert.Equal(1000, entries.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"key{i:D5}"), entries.Select(e => System.Text.Encoding.UTF8.GetString(e.Key)));
        Assert.All(entries, e => Assert.Equal(value, e.Value));
        Assert.Equal(11u, (await client.ReadAsync()).RequestId);

        // An entry larger than a batch still comes whole, alone in its frame.
        byte[] big = new byte[200_000];
        await client.RequestAsync(Requests.Set(12, 0, Frame.Bytes("key00500"), big));
        List<(byte[] Key, byte[] Value)> again = Entries(await Scan(client, Requests.Scan(13, 0, Frame.Bytes("key004"), Frame.Bytes("key006"))));
        Assert.Equal(200, again.Count);
        Assert.Equal(big, again[100].Value);
        server.AssertNoServerFaults();
    }

    private static async Task<List<Frame>> Scan(RawConnection client, byte[] request)
    {
        await client.SendAsync(request);
        List<Frame> frames = await client.ReadStreamAsync();
        Assert.All(frames, f => Assert.Equal(StatusCode.Ok, f.Status));
        return frames;
    }

    private static List<(byte[] Key, byte[] Value)> Entries(List<Frame> frames) => [.. frames.SelectMany(f => f.ScanEntries())];
}
