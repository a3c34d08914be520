using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Store.Index;

/// <summary>Byte-key helpers: order-preserving 8-byte prefixes and the height hash.</summary>
internal static class KeyOrder
{
    /// <summary>Length of the inline prefix that decides most comparisons.</summary>
    public const int PrefixLength = 8;

    /// <summary>The first 8 bytes big-endian, zero padded: prefix order is key order where they differ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Prefix(ReadOnlySpan<byte> key)
    {
        if (key.Length >= PrefixLength)
        {
            return BinaryPrimitives.ReadUInt64BigEndian(key);
        }

        ulong p = 0;
        for (int i = 0; i < key.Length; i++)
        {
            p |= (ulong)key[i] << (56 - (8 * i));
        }

        return p;
    }

    /// <summary>
    /// Bytes 8..16 big-endian, zero padded (0 for keys of at most 8 bytes). Where two keys have the
    /// same prefix and different second words, the second words order them: zero padding can only
    /// make unequal keys tie, never invert their order. Keys that share their first 8 bytes
    /// (<c>user:000123</c>) are then told apart without reading their suffixes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Second(ReadOnlySpan<byte> key) =>
        key.Length >= 2 * PrefixLength ? BinaryPrimitives.ReadUInt64BigEndian(key[PrefixLength..])
        : key.Length > PrefixLength ? Prefix(key[PrefixLength..])
        : 0;

    /// <summary>Keys up to this length are held whole by their prefix and second word.</summary>
    public const int InlineLength = 2 * PrefixLength;

    /// <summary>
    /// Compares a stored key (its length, and its bytes from 8 on when it is longer than
    /// <see cref="InlineLength"/>) with a search key that has the same prefix and second word.
    /// Equal words mean the shorter of two keys is a prefix of the longer when either is at most 16
    /// bytes long (zero padding), so the lengths decide; else the bytes from 16 on.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CompareAfterWords(int storedLength, ReadOnlySpan<byte> storedSuffix, ReadOnlySpan<byte> search)
    {
        if (storedLength <= InlineLength || search.Length <= InlineLength || storedSuffix.Length < PrefixLength)
        {
            return storedLength.CompareTo(search.Length);
        }

        return storedSuffix[PrefixLength..].SequenceCompareTo(search[InlineLength..]);
    }

    /// <summary>Writes the bytes of a key of at most <see cref="InlineLength"/> bytes from its two words.</summary>
    public static void WriteInline(ulong prefix, ulong second, int length, Span<byte> destination)
    {
        if (length <= PrefixLength)
        {
            WriteShort(prefix, length, destination);
            return;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, prefix);
        WriteShort(second, length - PrefixLength, destination[PrefixLength..]);
    }

    /// <summary>Writes the bytes of a key of at most 8 bytes from its prefix.</summary>
    public static void WriteShort(ulong prefix, int length, Span<byte> destination)
    {
        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)(prefix >> (56 - (8 * i)));
        }
    }

    /// <summary>A strong, deterministic 64-bit mix of the key bytes (stable across processes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(ReadOnlySpan<byte> key)
    {
        const ulong K1 = 0x9E3779B97F4A7C15UL;
        const ulong K2 = 0xC2B2AE3D27D4EB4FUL;
        ulong h = K1 ^ ((ulong)key.Length * K2);
        while (key.Length >= 8)
        {
            h = BitOperations.RotateLeft(h ^ Mix(BinaryPrimitives.ReadUInt64LittleEndian(key)), 27) * K1;
            key = key[8..];
        }

        if (!key.IsEmpty)
        {
            ulong tail = 0;
            for (int i = 0; i < key.Length; i++)
            {
                tail |= (ulong)key[i] << (8 * i);
            }

            h = BitOperations.RotateLeft(h ^ Mix(tail), 31) * K2;
        }

        return Mix(h);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong x)
    {
        // splitmix64 finaliser
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }
}
