using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Store.Storage;

/// <summary>Kind of a log record.</summary>
internal enum RecordKind : byte
{
    /// <summary>A key's value.</summary>
    Put = 1,

    /// <summary>A tombstone: the key was deleted.</summary>
    Delete = 2,
}

/// <summary>Flags of a log record.</summary>
[Flags]
internal enum RecordFlags : byte
{
    None = 0,

    /// <summary>The value is LZ4-compressed, prefixed by its raw length (int32).</summary>
    Compressed = 1,
}

/// <summary>
/// The 40-byte header of a log record:
/// <c>u32 crc32c | u32 length | u8 kind | u8 flags | u16 keyspace | u16 category | u16 reserved |
/// i64 expiry (unix ms, 0 = never) | i64 sequence | i32 key length | i32 value length</c>, then key
/// and value. <c>length</c> is header + key + value; records start 8-byte aligned. The CRC covers
/// every byte after itself up to <c>length</c>.
/// </summary>
internal readonly record struct RecordHeader(
    int Length, RecordKind Kind, RecordFlags Flags, int Keyspace, int Category, long Expiry, long Sequence, int KeyLength, int ValueLength)
{
    public const int Size = 40;

    /// <summary>Records start at multiples of this many bytes.</summary>
    public const int Alignment = 8;

    /// <summary>Bytes a record occupies in the log, padding included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int AlignedSize(int length) => (length + (Alignment - 1)) & ~(Alignment - 1);

    public int AlignedLength => AlignedSize(Length);

    /// <summary>Writes the header fields (the CRC is filled by <see cref="Seal"/>).</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)Length);
        destination[8] = (byte)Kind;
        destination[9] = (byte)Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[10..], (ushort)Keyspace);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[12..], (ushort)Category);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], Expiry);
        BinaryPrimitives.WriteInt64LittleEndian(destination[24..], Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(destination[32..], KeyLength);
        BinaryPrimitives.WriteInt32LittleEndian(destination[36..], ValueLength);
    }

    /// <summary>Computes and stores the CRC of a complete record.</summary>
    public static void Seal(Span<byte> record) =>
        BinaryPrimitives.WriteUInt32LittleEndian(record, Crc32C.Compute(record[4..]));

    /// <summary>Reads header fields without checking anything.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RecordHeader Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadInt32LittleEndian(source[4..]),
        (RecordKind)source[8],
        (RecordFlags)source[9],
        BinaryPrimitives.ReadUInt16LittleEndian(source[10..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[12..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[16..]),
        BinaryPrimitives.ReadInt64LittleEndian(source[24..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[32..]),
        BinaryPrimitives.ReadInt32LittleEndian(source[36..]));

    /// <summary>
    /// Checks a record at the start of <paramref name="source"/> (the rest of its segment):
    /// plausible lengths and a matching CRC. Returns false for a torn, zeroed or corrupt record.
    /// </summary>
    public static bool TryValidate(ReadOnlySpan<byte> source, out RecordHeader header)
    {
        header = default;
        if (source.Length < Size)
        {
            return false;
        }

        header = Read(source);
        if (header.Length < Size || header.Length > source.Length || header.KeyLength < 0 || header.ValueLength < 0
            || (long)Size + header.KeyLength + header.ValueLength != header.Length
            || header.Kind is not (RecordKind.Put or RecordKind.Delete))
        {
            return false;
        }

        return BinaryPrimitives.ReadUInt32LittleEndian(source) == Crc32C.Compute(source[4..header.Length]);
    }
}
