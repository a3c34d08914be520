using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Store.Vectors;

/// <summary>Converts the components of a vector file to float32: bytes and floats exactly, ints where float32 holds them.</summary>
internal static class ComponentConversion
{
    /// <summary>Copies little-endian float32 <paramref name="littleEndian"/> into <paramref name="destination"/> (same count).</summary>
    public static void CopyFloats(ReadOnlySpan<byte> littleEndian, Span<float> destination)
    {
        ReadOnlySpan<float> source = MemoryMarshal.Cast<byte, float>(littleEndian);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(destination);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(source), MemoryMarshal.Cast<float, int>(destination));
        }
    }

    /// <summary>Widens unsigned bytes to floats (0 to 255, exact); <paramref name="destination"/> holds at least as many.</summary>
    public static void WidenBytes(ReadOnlySpan<byte> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        ref byte from = ref MemoryMarshal.GetReference(source);
        ref float to = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                (Vector256<ushort> low, Vector256<ushort> high) = Vector256.Widen(Vector256.LoadUnsafe(ref from, (nuint)i));
                (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(low);
                (Vector256<uint> c, Vector256<uint> d) = Vector256.Widen(high);
                Vector256.ConvertToSingle(a.AsInt32()).StoreUnsafe(ref to, (nuint)i);
                Vector256.ConvertToSingle(b.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 8));
                Vector256.ConvertToSingle(c.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 16));
                Vector256.ConvertToSingle(d.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 24));
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                (Vector128<ushort> low, Vector128<ushort> high) = Vector128.Widen(Vector128.LoadUnsafe(ref from, (nuint)i));
                (Vector128<uint> a, Vector128<uint> b) = Vector128.Widen(low);
                (Vector128<uint> c, Vector128<uint> d) = Vector128.Widen(high);
                Vector128.ConvertToSingle(a.AsInt32()).StoreUnsafe(ref to, (nuint)i);
                Vector128.ConvertToSingle(b.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 4));
                Vector128.ConvertToSingle(c.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 8));
                Vector128.ConvertToSingle(d.AsInt32()).StoreUnsafe(ref to, (nuint)(i + 12));
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    /// <summary>
    /// Converts little-endian int32 <paramref name="littleEndian"/> to floats. Returns -1, or the index of the
    /// first int float32 cannot hold exactly (beyond +-2^24 and not a multiple of the float spacing there);
    /// the destination is then partly written.
    /// </summary>
    public static int IntsToFloats(ReadOnlySpan<byte> littleEndian, Span<float> destination)
    {
        ReadOnlySpan<int> source = MemoryMarshal.Cast<byte, int>(littleEndian);
        for (int i = 0; i < source.Length; i++)
        {
            int value = BitConverter.IsLittleEndian ? source[i] : BinaryPrimitives.ReverseEndianness(source[i]);
            float converted = value;
            if ((double)converted != value)
            {
                return i;
            }

            destination[i] = converted;
        }

        return -1;
    }

    /// <summary>Little-endian int32 <paramref name="littleEndian"/> as an array.</summary>
    public static int[] Ints(ReadOnlySpan<byte> littleEndian)
    {
        int[] values = MemoryMarshal.Cast<byte, int>(littleEndian).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }

        return values;
    }
}
