using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Store.Client.Protocol;

namespace Store.Client.Tests.Fakes;

/// <summary>One accepted connection of a <see cref="FakeServer"/>: answers Hello, hands every other frame to the server's handler.</summary>
internal sealed class FakeConnection(FakeServer server, Stream stream)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private uint _nextHandle = 1;

    public Dictionary<string, uint> Handles { get; } = new(StringComparer.Ordinal);

    public void Start() => _ = Task.Run(ReadLoopAsync);

    public void Drop() => stream.Dispose();

    public uint HandleFor(string name)
    {
        lock (Handles)
        {
            if (!Handles.TryGetValue(name, out uint handle))
            {
                Handles[name] = handle = _nextHandle++;
            }

            return handle;
        }
    }

    public async Task ReplyAsync(FrameHeader request, StatusCode status, byte[] payload, FrameFlags flags = FrameFlags.None)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new PayloadWriter(buffer, new FrameHeader((uint)payload.Length, request.RequestId, request.Opcode, flags, status, request.Handle));
        writer.WriteRaw(payload);
        writer.Complete();
        await _writeGate.WaitAsync();
        try
        {
            await stream.WriteAsync(buffer.WrittenMemory);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // dropped by the test
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        PipeReader input = PipeReader.Create(stream);
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync();
                ReadOnlySequence<byte> buffer = result.Buffer;
                while (FrameReader.TryRead(ref buffer, server.MaxFrameBytes, out FrameHeader header, out ReadOnlySequence<byte> payload) == FrameReadResult.Frame)
                {
                    await OnFrameAsync(header, payload.ToArray());
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // dropped
        }
    }

    private async Task OnFrameAsync(FrameHeader header, byte[] payload)
    {
        if (header.Opcode == Opcode.Hello)
        {
            var reader = new PayloadReader(payload);
            ushort min = reader.ReadUInt16();
            ushort max = reader.ReadUInt16();
            string token = reader.ReadString();
            string name = reader.ReadString();
            reader.End();
            server.Record(new FakeRequest(this, header, payload) { HelloToken = token, HelloClientName = name, HelloVersions = (min, max) });
            if (server.RequiredToken is not null && token != server.RequiredToken)
            {
                await ReplyAsync(header, StatusCode.Unauthorized, FakeReply.Message("unknown token; pass the token the server was started with"));
                Drop();
                return;
            }

            await ReplyAsync(header, StatusCode.Ok, FakeReply.Build(w => w.U16(1).Str("fake-server 1.0").U32(server.MaxFrameBytes).U32(1024)));
            return;
        }

        if (header.Opcode == Opcode.OpenKeyspace)
        {
            string name = new PayloadReader(payload).ReadString();
            server.Record(new FakeRequest(this, header, payload));
            if (name.StartsWith("missing", StringComparison.Ordinal))
            {
                await ReplyAsync(header, StatusCode.UnknownKeyspace, FakeReply.Message($"no keyspace '{name}'"));
                return;
            }

            await ReplyAsync(header, StatusCode.Ok, FakeReply.Build(w => w.U32(HandleFor(name))));
            return;
        }

        var request = new FakeRequest(this, header, payload);
        FakeReply? reply = server.Handle(request);
        if (reply is not null)
        {
            foreach ((StatusCode status, byte[] body, FrameFlags flags) in reply.Frames)
            {
                await ReplyAsync(header, status, body, flags);
            }
        }
    }
}

/// <summary>A request the fake server received.</summary>
internal sealed record FakeRequest(FakeConnection Connection, FrameHeader Header, byte[] Payload)
{
    public string? HelloToken { get; init; }

    public string? HelloClientName { get; init; }

    public (ushort Min, ushort Max) HelloVersions { get; init; }

    public Task ReplyAsync(StatusCode status, byte[] payload, FrameFlags flags = FrameFlags.None) => Connection.ReplyAsync(Header, status, payload, flags);

    public byte[] FirstBytesField() => new PayloadReader(Payload).ReadBytes().ToArray();

    public string FirstBytesFieldText() => Encoding.UTF8.GetString(FirstBytesField());
}

/// <summary>The frames the handler answers with.</summary>
internal sealed class FakeReply
{
    public List<(StatusCode Status, byte[] Payload, FrameFlags Flags)> Frames { get; } = [];

    public static FakeReply Of(StatusCode status, byte[] payload)
    {
        var reply = new FakeReply();
        reply.Frames.Add((status, payload, FrameFlags.None));
        return reply;
    }

    public static FakeReply Ok(Action<FieldWriter> fields) => Of(StatusCode.Ok, Build(fields));

    public static FakeReply Error(StatusCode status, string message) => Of(status, Message(message));

    public static byte[] Message(string text) => Build(w => w.Str(text));

    public static byte[] Build(Action<FieldWriter> fields)
    {
        var writer = new FieldWriter();
        fields(writer);
        return writer.ToArray();
    }
}

/// <summary>Little-endian payload fields for the fake server's replies.</summary>
internal sealed class FieldWriter
{
    private readonly MemoryStream _bytes = new();

    public FieldWriter U8(byte value)
    {
        _bytes.WriteByte(value);
        return this;
    }

    public FieldWriter U16(ushort value) => Raw(BitConverter.GetBytes(value));

    public FieldWriter U32(uint value) => Raw(BitConverter.GetBytes(value));

    public FieldWriter I64(long value) => Raw(BitConverter.GetBytes(value));

    public FieldWriter Bytes(byte[] value) => U32((uint)value.Length).Raw(value);

    public FieldWriter Str(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public FieldWriter Raw(byte[] value)
    {
        _bytes.Write(value);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
