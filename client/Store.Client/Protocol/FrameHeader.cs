using System.Buffers.Binary;

namespace Store.Client.Protocol;

/// <summary>Flags of a frame header.</summary>
[Flags]
public enum FrameFlags : byte
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>A streamed reply continues in further frames.</summary>
    More = 1,
}

/// <summary>
/// The 16-byte header of every frame: payload length, request id, opcode, flags, status, handle
/// (docs/protocol.md).
/// </summary>
/// <param name="PayloadLength">Bytes after the header.</param>
/// <param name="RequestId">Chosen by the client; echoed in the reply.</param>
/// <param name="Opcode">The operation.</param>
/// <param name="Flags">Frame flags.</param>
/// <param name="Status">The outcome (replies); 0 in requests.</param>
/// <param name="Handle">Keyspace or collection handle; 0 = the default keyspace.</param>
public readonly record struct FrameHeader(uint PayloadLength, uint RequestId, Opcode Opcode, FrameFlags Flags, StatusCode Status, uint Handle)
{
    /// <summary>Bytes of a header on the wire.</summary>
    public const int Size = 16;

    /// <summary>The protocol version this codec speaks.</summary>
    public const ushort ProtocolVersion = 1;

    /// <summary>Reads a header from the first <see cref="Size"/> bytes of <paramref name="source"/>.</summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt32LittleEndian(source),
        BinaryPrimitives.ReadUInt32LittleEndian(source[4..]),
        (Opcode)source[8],
        (FrameFlags)source[9],
        (StatusCode)BinaryPrimitives.ReadUInt16LittleEndian(source[10..]),
        BinaryPrimitives.ReadUInt32LittleEndian(source[12..]));

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, PayloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], RequestId);
        destination[8] = (byte)Opcode;
        destination[9] = (byte)Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)Status);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], Handle);
    }
}
