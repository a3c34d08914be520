using System.Buffers.Binary;

namespace Store.Tests.Index;

/// <summary>
/// Keys and values of the concurrency tests. Key(n) = "bskip:" + big-endian uint32 n + (n % 4)
/// check bytes, so key order is numeric order, lengths vary (10..13 bytes) and, for n &lt; 65536,
/// every key shares its first 8 bytes with every other (node-local 8-byte key prefixes tie and
/// the full key must be compared). Values carry a generation and a checksum of (n, generation),
/// so a reader can tell a value that was written for this key from garbage or another key's value.
/// </summary>
internal static class StressKeys
{
    public const int GenerationThreadShift = 26;
    public const uint GenerationSequenceMask = (1u << GenerationThreadShift) - 1;

    private const int TagLength = 6;
    private const int NumberEnd = TagLength + 4;

    /// <summary>Above every stress key.</summary>
    public static byte[] High { get; } = [(byte)'b', (byte)'s', (byte)'k', (byte)'i', (byte)'p', (byte)':', 0xFF];

    private static ReadOnlySpan<byte> Tag => "bskip:"u8;

    public static byte[] Key(int n)
    {
        var key = new byte[NumberEnd + n % 4];
        Tag.CopyTo(key);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(TagLength), (uint)n);
        for (int i = NumberEnd; i < key.Length; i++)
        {
            key[i] = CheckByte(n, i);
        }

        return key;
    }

    /// <summary>Decodes a key produced by <see cref="Key"/>; false for anything else.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> key, out int n)
    {
        n = -1;
        if (key.Length < NumberEnd || !key[..TagLength].SequenceEqual(Tag))
        {
            return false;
        }

        uint number = BinaryPrimitives.ReadUInt32BigEndian(key[TagLength..]);
        if (number > int.MaxValue || key.Length != NumberEnd + (int)(number % 4))
        {
            return false;
        }

        for (int i = NumberEnd; i < key.Length; i++)
        {
            if (key[i] != CheckByte((int)number, i))
            {
                return false;
            }
        }

        n = (int)number;
        return true;
    }

    /// <summary>A range bound near n: Key(n), a proper prefix of it, or Key(n) + 0x00; sometimes below or above all keys.</summary>
    public static byte[] Bound(Random rng, int keySpace)
    {
        int n = rng.Next(keySpace + 1);
        return rng.Next(16) switch
        {
            0 => [],
            1 => Tag.ToArray(),
            2 => High,
            < 7 => Key(n)[..NumberEnd],
            < 10 => [.. Key(n), 0],
            _ => Key(n),
        };
    }

    public static uint Generation(int thread, uint sequence) =>
        ((uint)thread << GenerationThreadShift) | (sequence & GenerationSequenceMask);

    public static long Value(int n, uint generation) => ((long)generation << 32) | Checksum(n, generation);

    public static uint GenerationOf(long value) => (uint)(value >>> 32);

    public static bool IsValid(int n, long value) => (uint)value == Checksum(n, GenerationOf(value));

    /// <summary>A well-mixed 64-bit image of a value, for order-independent sums.</summary>
    public static ulong Mix(long value)
    {
        ulong x = unchecked((ulong)value * 0x9E3779B97F4A7C15UL);
        x ^= x >> 29;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        return x ^ (x >> 32);
    }

    private static uint Checksum(int n, uint generation)
    {
        uint x = unchecked(((uint)n * 0x85EBCA6Bu) ^ (generation * 0xC2B2AE35u) ^ 0x27D4EB2Fu);
        x ^= x >> 15;
        x = unchecked(x * 0x2C1B3C6Du);
        x ^= x >> 12;
        return x;
    }

    private static byte CheckByte(int n, int position) => (byte)(n * 37 + position * 11);
}
