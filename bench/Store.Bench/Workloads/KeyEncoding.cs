using System.Buffers.Binary;

namespace Store.Bench.Workloads;

/// <summary>
/// Maps a key ordinal to a unique pseudo-random 64-bit id (a bijection: multiply by an odd constant,
/// add a seed, splitmix64 finalizer) and encodes it. 8-byte keys are the big-endian id, so key order
/// is numeric order. 24-byte keys are an 8-byte prefix shared by 1/64 of the keys ("tenant" + a
/// big-endian group number taken from the id's top bits), then the big-endian id, then 8 more bytes
/// derived from the id: long keys whose comparisons cannot stop at the first 8 bytes.
/// </summary>
internal static class KeyEncoding
{
    public const int ShortKeyBytes = 8;
    public const int LongKeyBytes = 24;

    private const ulong Seed = 0x5DEECE66D2B1A3C5UL;

    public static ulong IdOf(long ordinal) => Mix(((ulong)ordinal * 0x9E3779B97F4A7C15UL) + Seed);

    public static void Write(long ordinal, Span<byte> destination)
    {
        ulong id = IdOf(ordinal);
        switch (destination.Length)
        {
            case ShortKeyBytes:
                BinaryPrimitives.WriteUInt64BigEndian(destination, id);
                break;
            case LongKeyBytes:
                "tenant"u8.CopyTo(destination);
                BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)(id >> 58));
                BinaryPrimitives.WriteUInt64BigEndian(destination[8..], id);
                BinaryPrimitives.WriteUInt64BigEndian(destination[16..], Mix(id ^ Seed));
                break;
            default:
                throw new ArgumentException($"key length must be {ShortKeyBytes} or {LongKeyBytes}", nameof(destination));
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
