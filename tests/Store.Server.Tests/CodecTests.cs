using System.Buffers;
using System.IO.Pipelines;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>Every opcode's request and reply, encoded, then parsed from input cut at every byte boundary.</summary>
public sealed class CodecTests
{
    private static readonly byte[] Key = Frame.Bytes("user:42");
    private static readonly byte[] Value = Frame.Bytes("a value of some length");

    public static TheoryData<string> FrameNames => [.. Samples().Keys];

    [Theory]
    [MemberData(nameof(FrameNames))]
    public void A_frame_cut_at_any_byte_is_incomplete_until_whole_then_parses_the_same(string name)
    {
        byte[] bytes = Samples()[name];
        (FrameHeader expectedHeader, byte[] expectedPayload) = ParseWhole(bytes);
        for (int cut = 0; cut <= bytes.Length; cut++)
        {
            // The first `cut` bytes alone: incomplete unless they are the whole frame.
            ReadOnlySequence<byte> prefix = SegmentedSequence.Create(bytes[..cut]);
            FrameReadResult prefixResult = FrameReader.TryRead(ref prefix, uint.MaxValue, out _, out _);
            Assert.Equal(cut == bytes.Length ? FrameReadResult.Frame : FrameReadResult.Incomplete, prefixResult);

            // The whole frame in two segments split at `cut`: the same frame.
            ReadOnlySequence<byte> split = SegmentedSequence.Create(bytes, cut);
            Assert.Equal(FrameReadResult.Frame, FrameReader.TryRead(ref split, uint.MaxValue, out FrameHeader header, out ReadOnlySequence<byte> payload));
            Assert.Equal(expectedHeader, header);
            Assert.Equal(expectedPayload, payload.ToArray());
            Assert.True(split.IsEmpty);
        }

        ReadOnlySequence<byte> single = SegmentedSequence.ByteByByte(bytes);
        Assert.Equal(FrameReadResult.Frame, FrameReader.TryRead(ref single, uint.MaxValue, out FrameHeader h, out ReadOnlySequence<byte> p));
        Assert.Equal(expectedHeader, h);
        Assert.Equal(expectedPayload, p.ToArray());
        Decode(name, expectedHeader, expectedPayload);
    }

    [Theory]
    [MemberData(nameof(FrameNames))]
    public async Task A_frame_fed_through_a_pipe_byte_by_byte_parses_once_whole(string name)
    {
        byte[] bytes = Samples()[name];
        byte[] twice = [.. bytes, .. bytes];
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, minimumSegmentSize: 1));
        int frames = 0;
        for (int i = 0; i < twice.Length; i++)
        {
            await pipe.Writer.WriteAsync(twice.AsMemory(i, 1));
            Assert.True(pipe.Reader.TryRead(out ReadResult result));
            ReadOnlySequence<byte> buffer = result.Buffer;
            FrameReadResult outcome = FrameReader.TryRead(ref buffer, uint.MaxValue, out FrameHeader header, out ReadOnlySequence<byte> payload);
            bool boundary = (i + 1) % bytes.Length == 0;
            Assert.Equal(boundary ? FrameReadResult.Frame : FrameReadResult.Incomplete, outcome);
            if (boundary)
            {
                frames++;
                Assert.Equal(bytes[FrameHeader.Size..], payload.ToArray());
                Assert.Equal(FrameHeader.Read(bytes), header);
            }

            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        }

        Assert.Equal(2, frames);
    }

    [Fact]
    public void A_header_over_the_limit_is_too_large_before_its_payload_arrives()
    {
        byte[] header = new byte[FrameHeader.Size];
        new FrameHeader(1_000_000, 7, Opcode.Set, FrameFlags.None, StatusCode.Ok, 0).Write(header);
        for (int cut = 0; cut < FrameHeader.Size; cut++)
        {
            ReadOnlySequence<byte> sequence = SegmentedSequence.Create(header, cut);
            Assert.Equal(FrameReadResult.TooLarge, FrameReader.TryRead(ref sequence, 1024, out FrameHeader parsed, out _));
            Assert.Equal(7u, parsed.RequestId);
            Assert.Equal(FrameHeader.Size, sequence.Length);
        }
    }

    [Fact]
    public void Prefix_end_is_the_first_key_after_the_prefix()
    {
        Assert.Equal(new byte[] { 1, 3 }, StoreConnection.PrefixEnd([1, 2]));
        Assert.Equal(new byte[] { 2 }, StoreConnection.PrefixEnd([1, 0xFF]));
        Assert.Null(StoreConnection.PrefixEnd([0xFF, 0xFF]));
        Assert.Null(StoreConnection.PrefixEnd([]));
    }

    /// <summary>A request and a reply of every opcode, as the server and client put them on the wire.</summary>
    private static Dictionary<string, byte[]> Samples() => new()
    {
        ["Hello request"] = Requests.Hello(1, "token", 1, 3, "client"),
        ["Hello reply"] = Reply(Opcode.Hello, 2 + PayloadWriter.SizeOf("store-server") + 8, (ref PayloadWriter w) =>
        {
            w.Write((ushort)1);
            w.WriteString("store-server");
            w.Write(16u << 20);
            w.Write(1024u);
        }),
        ["Ping request"] = Requests.Ping(2, [1, 2, 3]),
        ["Ping reply"] = Reply(Opcode.Ping, 3, (ref PayloadWriter w) => w.WriteRaw([1, 2, 3])),
        ["OpenKeyspace request"] = Requests.OpenKeyspace(3, "orders"),
        ["OpenKeyspace reply"] = Reply(Opcode.OpenKeyspace, 4, (ref PayloadWriter w) => w.Write(5u)),
        ["Get request"] = Requests.Get(4, 1, Key),
        ["Get reply"] = Reply(Opcode.Get, PayloadWriter.SizeOf(Value.Length) + 16, (ref PayloadWriter w) =>
        {
            w.WriteBytes(Value);
            w.Write(99L);
            w.Write(0L);
        }),
        ["Get reply NotFound"] = Reply(Opcode.Get, 0, (ref PayloadWriter w) => { }, StatusCode.NotFound),
        ["Set request"] = Requests.Set(5, 1, Key, Value, 5000, "hot", 3, 41),
        ["Set reply"] = Reply(Opcode.Set, 8, (ref PayloadWriter w) => w.Write(42L)),
        ["Delete request"] = Requests.Delete(6, 1, Key),
        ["Delete reply"] = Reply(Opcode.Delete, 1, (ref PayloadWriter w) => w.Write((byte)1)),
        ["Increment request"] = Requests.Increment(7, 1, Key, -3),
        ["Increment reply"] = Reply(Opcode.Increment, 8, (ref PayloadWriter w) => w.Write(-3L)),
        ["MultiGet request"] = Requests.MultiGet(8, 1, Key, Value),
        ["MultiGet reply"] = Reply(Opcode.MultiGet, 4 + 1 + PayloadWriter.SizeOf(Value.Length) + 1 + 4, (ref PayloadWriter w) =>
        {
            w.Write(2u);
            w.Write((byte)1);
            w.WriteBytes(Value);
            w.Write((byte)0);
            w.WriteBytes([]);
        }),
        ["MultiSet request"] = Requests.MultiSet(9, 1, [(Key, Value), (Value, Key)], 100, "cold"),
        ["MultiSet reply"] = Reply(Opcode.MultiSet, 0, (ref PayloadWriter w) => { }),
        ["Scan request"] = Requests.Scan(10, 1, Key, Value, prefix: false, limit: 10),
        ["Scan reply (More)"] = Reply(Opcode.Scan, 4 + PayloadWriter.SizeOf(Key.Length) + PayloadWriter.SizeOf(Value.Length), (ref PayloadWriter w) =>
        {
            w.Write(1u);
            w.WriteBytes(Key);
            w.WriteBytes(Value);
        }, flags: FrameFlags.More),
        ["Expire request"] = Requests.Expire(11, 1, Key, 1000),
        ["Expire reply"] = Reply(Opcode.Expire, 1, (ref PayloadWriter w) => w.Write((byte)0)),
        ["Persist request"] = Requests.Persist(12, 1, Key),
        ["Persist reply"] = Reply(Opcode.Persist, 1, (ref PayloadWriter w) => w.Write((byte)1)),
        ["TimeToLive request"] = Requests.TimeToLive(13, 1, Key),
        ["TimeToLive reply"] = Reply(Opcode.TimeToLive, 8, (ref PayloadWriter w) => w.Write(-1L)),
        ["Count request"] = Requests.Count(14, 1),
        ["Count reply"] = Reply(Opcode.Count, 8, (ref PayloadWriter w) => w.Write(12345L)),
        ["Error reply"] = Reply(Opcode.Set, PayloadWriter.SizeOf("Value is too large"), (ref PayloadWriter w) => w.WriteString("Value is too large"), StatusCode.ValueTooLarge),
    };

    private static byte[] Reply(Opcode opcode, int size, PayloadFill fill, StatusCode status = StatusCode.Ok, FrameFlags flags = FrameFlags.None) =>
        Requests.Frame(opcode, 77, 1, size, fill, status, flags);

    private static (FrameHeader Header, byte[] Payload) ParseWhole(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(FrameReadResult.Frame, FrameReader.TryRead(ref sequence, uint.MaxValue, out FrameHeader header, out ReadOnlySequence<byte> payload));
        Assert.Equal((uint)(bytes.Length - FrameHeader.Size), header.PayloadLength);
        return (header, payload.ToArray());
    }

    /// <summary>Decodes the payload by its layout in docs/protocol.md: every field present, nothing left over.</summary>
    private static void Decode(string name, FrameHeader header, byte[] payload)
    {
        var frame = new Frame(header, payload);
        switch (name)
        {
            case "Hello request":
                var hello = new PayloadReader(payload);
                Assert.Equal(1, hello.ReadUInt16());
                Assert.Equal(3, hello.ReadUInt16());
                Assert.Equal("token", hello.ReadString());
                Assert.Equal("client", hello.ReadString());
                hello.End();
                break;
            case "Hello reply":
                var reply = new PayloadReader(payload);
                Assert.Equal(1, reply.ReadUInt16());
                Assert.Equal("store-server", reply.ReadString());
                Assert.Equal(16u << 20, reply.ReadUInt32());
                Assert.Equal(1024u, reply.ReadUInt32());
                reply.End();
                break;
            case "Set request":
                var set = new PayloadReader(payload);
                Assert.Equal(Key, set.ReadBytes().ToArray());
                Assert.Equal(Value, set.ReadBytes().ToArray());
                Assert.Equal(TimeSpan.FromSeconds(5), set.ReadTtl());
                Assert.Equal("hot", set.ReadString());
                Assert.Equal(3, set.ReadByte());
                Assert.Equal(41, set.ReadInt64());
                set.End();
                break;
            case "Get reply":
                (byte[] value, long version, long expires) = frame.GetReply();
                Assert.Equal(Value, value);
                Assert.Equal((99L, 0L), (version, expires));
                break;
            case "MultiGet reply":
                List<byte[]?> values = frame.MultiGetReply();
                Assert.Equal(Value, values[0]);
                Assert.Null(values[1]);
                break;
            case "Scan reply (More)":
                Assert.True(frame.More);
                Assert.Equal(Key, Assert.Single(frame.ScanEntries()).Key);
                break;
            case "Count reply":
                Assert.Equal(12345, frame.Int64());
                break;
            case "OpenKeyspace reply":
                Assert.Equal(5u, frame.UInt32());
                break;
            case "Delete reply":
                Assert.True(frame.Flag());
                break;
            case "Error reply":
                Assert.Equal("Value is too large", frame.Message);
                break;
            default:
                Assert.Equal(header.PayloadLength, (uint)payload.Length);
                break;
        }
    }
}
