using System.Buffers.Binary;
using System.Text;

namespace Store.Client.Protocol;

/// <summary>
/// Reads the fields of one payload (docs/protocol.md: fixed-width little-endian integers, u32-length
/// bytes and strings). Running past the end, or <see cref="End"/> with bytes left, throws a
/// <see cref="ProtocolException"/> with <see cref="StatusCode.BadRequest"/>.
/// </summary>
public ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _payload.Length - _position;

    /// <summary>Reads a u8.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a u16.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a u32.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads an i32.</summary>
    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>Reads an i64.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads a u32 length and that many bytes (a slice of the payload, no copy).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        uint length = ReadUInt32();
        if (length > (uint)Remaining)
        {
            Fail($"a field announces {length} bytes but only {Remaining} remain");
        }

        return Take((int)length);
    }

    /// <summary>Reads a UTF-8 string (u32 length, bytes).</summary>
    public string ReadString()
    {
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return bytes.IsEmpty ? string.Empty : StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            Fail("a string field is not valid UTF-8");
            return string.Empty;
        }
    }

    /// <summary>Reads a ttl field: null for -1 (none), else a positive time span; anything else is InvalidArgument.</summary>
    public TimeSpan? ReadTtl()
    {
        long ms = ReadInt64();
        return ms switch
        {
            -1 => null,
            > 0 and <= (long)(int.MaxValue * 1000.0) => TimeSpan.FromMilliseconds(ms),
            _ => throw new ProtocolException(StatusCode.InvalidArgument, $"ttl must be -1 (none) or a positive number of milliseconds up to 68 years, got {ms}"),
        };
    }

    /// <summary>Checks the whole payload was read.</summary>
    public readonly void End()
    {
        if (Remaining != 0)
        {
            Fail($"{Remaining} unexpected bytes after the last field");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            Fail($"the payload ends {count - Remaining} bytes short of its fields");
        }

        ReadOnlySpan<byte> slice = _payload.Slice(_position, count);
        _position += count;
        return slice;
    }

    private static void Fail(string message) => throw new ProtocolException(StatusCode.BadRequest, message);
}
