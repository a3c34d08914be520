using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Store.Client.Protocol;

/// <summary>
/// Writes one frame into an <see cref="IBufferWriter{T}"/>: the caller states the payload size up
/// front (<see cref="SizeOf(int)"/> and friends add up field sizes), so header and payload go out in
/// one contiguous span with no second pass; <see cref="Complete"/> checks the size was exact.
/// </summary>
public ref struct PayloadWriter
{
    private readonly IBufferWriter<byte> _output;
    private readonly Span<byte> _span;
    private int _position;

    /// <summary>Starts a frame with <paramref name="header"/> (its PayloadLength is the size to be written).</summary>
    public PayloadWriter(IBufferWriter<byte> output, FrameHeader header)
    {
        _output = output;
        int total = FrameHeader.Size + (int)header.PayloadLength;
        _span = output.GetSpan(total)[..total];
        header.Write(_span);
        _position = FrameHeader.Size;
    }

    /// <summary>Bytes of a u32-length bytes field holding <paramref name="length"/> bytes.</summary>
    public static int SizeOf(int length) => 4 + length;

    /// <summary>Bytes of a string field.</summary>
    public static int SizeOf(string value) => 4 + Encoding.UTF8.GetByteCount(value);

    /// <summary>Writes a u8.</summary>
    public void Write(byte value) => _span[_position++] = value;

    /// <summary>Writes a u16.</summary>
    public void Write(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_span[_position..], value);
        _position += 2;
    }

    /// <summary>Writes a u32.</summary>
    public void Write(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_span[_position..], value);
        _position += 4;
    }

    /// <summary>Writes an i64.</summary>
    public void Write(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_span[_position..], value);
        _position += 8;
    }

    /// <summary>Writes a bytes field (u32 length, bytes).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Write((uint)value.Length);
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes raw bytes with no length prefix (an echoed payload, a message body).</summary>
    public void WriteRaw(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_span[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes a string field (u32 length, UTF-8).</summary>
    public void WriteString(string value)
    {
        int n = Encoding.UTF8.GetBytes(value, _span[(_position + 4)..]);
        Write((uint)n);
        _position += n;
    }

    /// <summary>Writes a ttl field: -1 for none, else whole milliseconds (at least 1).</summary>
    public void WriteTtl(TimeSpan? ttl) => Write(ttl is { } t ? Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds)) : -1L);

    /// <summary>Commits the frame to the writer; throws if the payload written differs from the size announced.</summary>
    public readonly void Complete()
    {
        if (_position != _span.Length)
        {
            throw new InvalidOperationException($"frame payload written {_position - FrameHeader.Size} bytes, announced {_span.Length - FrameHeader.Size}");
        }

        _output.Advance(_position);
    }
}
