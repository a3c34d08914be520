using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// The destination handed to <see cref="Keyspace.TryGet"/> for a Get: the engine copies the value
/// straight into the connection's <see cref="PipeWriter"/>, behind room left for the reply header and
/// length, and <see cref="Commit"/> fills those in and appends version and expiry. No copy in between.
/// </summary>
internal sealed class ValueReplyWriter : IBufferWriter<byte>
{
    private const int Prefix = FrameHeader.Size + 4;
    private const int Suffix = 16;
    private readonly PipeWriter _output;
    private Memory<byte> _frame;
    private int _valueLength;

    public ValueReplyWriter(PipeWriter output) => _output = output;

    /// <summary>Forgets the last value (call before each TryGet).</summary>
    public void Reset()
    {
        _frame = default;
        _valueLength = 0;
    }

    /// <inheritdoc />
    public void Advance(int count) => _valueLength = count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        _frame = _output.GetMemory(Prefix + sizeHint + Suffix);
        return _frame[Prefix..^Suffix];
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Completes the Ok reply around the value the engine wrote; returns the frame's size.</summary>
    public int Commit(in FrameHeader request, in EntryInfo info)
    {
        if (_frame.IsEmpty)
        {
            GetMemory(0);
        }

        Span<byte> frame = _frame.Span;
        int payload = 4 + _valueLength + Suffix;
        new FrameHeader((uint)payload, request.RequestId, request.Opcode, FrameFlags.None, StatusCode.Ok, request.Handle).Write(frame);
        BinaryPrimitives.WriteUInt32LittleEndian(frame[FrameHeader.Size..], (uint)_valueLength);
        Span<byte> tail = frame[(Prefix + _valueLength)..];
        BinaryPrimitives.WriteInt64LittleEndian(tail, info.Version);
        BinaryPrimitives.WriteInt64LittleEndian(tail[8..], info.ExpiresAtUnixMs);
        int total = FrameHeader.Size + payload;
        _output.Advance(total);
        Reset();
        return total;
    }
}
