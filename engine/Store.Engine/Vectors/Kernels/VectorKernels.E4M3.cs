using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Store.Vectors;

// OCP 8-bit floating point, E4M3 variant: 1 sign bit, 4 exponent bits (bias 7), 3 mantissa bits,
// subnormals at exponent 0 (step 2^-9), no infinities, S.1111.111 is NaN, largest finite 448.
public static partial class VectorKernels
{
    /// <summary>The float value of every E4M3 code (NaN for 0x7F and 0xFF).</summary>
    private static readonly float[] E4M3Values = CreateE4M3Values();

    /// <summary>
    /// Encodes a float32 as OCP float8 E4M3 (1 sign, 4 exponent bits with bias 7, 3 mantissa bits,
    /// no infinities, largest finite 448). Rounds to nearest even, saturates to ±448 (infinities too),
    /// and maps NaN to 0x7F.
    /// </summary>
    /// <param name="value">The value to encode.</param>
    /// <returns>The E4M3 code.</returns>
    public static byte ToE4M3(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7F;
        }
        uint bits = BitConverter.SingleToUInt32Bits(value);
        int sign = (int)(bits >> 24) & 0x80;
        uint magnitude = bits & 0x7FFFFFFF;
        float abs = BitConverter.UInt32BitsToSingle(magnitude);
        if (abs >= 448f)
        {
            return (byte)(sign | 0x7E);
        }
        int code;
        if (abs < 0.015625f)
        {
            // Below the smallest normal (2^-6) the grid is uniform with step 2^-9; scaling by 2^9 is exact.
            // A result of 8 is the smallest normal's code, so rounding up across the boundary is correct.
            code = (int)MathF.Round(abs * 512f, MidpointRounding.ToEven);
        }
        else
        {
            int exponent = (int)(magnitude >> 23) - 127;        // -6..8
            uint kept = (magnitude >> 20) & 7;                  // the top 3 mantissa bits
            uint rest = magnitude & 0xFFFFF;                    // the 20 bits dropped
            code = ((exponent + 7) << 3) | (int)kept;
            if (rest > 0x80000 || (rest == 0x80000 && (kept & 1) != 0))
            {
                code++;                                         // a carry into the exponent is the right answer
            }
            code = Math.Min(code, 0x7E);                        // unreachable below 448; 0x7F would be NaN
        }
        return (byte)(sign | code);
    }

    /// <summary>Decodes an OCP float8 E4M3 code to float32 (exact); 0x7F and 0xFF decode to NaN.</summary>
    /// <param name="value">The E4M3 code.</param>
    /// <returns>The decoded value.</returns>
    public static float FromE4M3(byte value)
    {
        int magnitude = value & 0x7F;
        if (magnitude == 0x7F)
        {
            return float.NaN;
        }
        int exponent = magnitude >> 3;
        int mantissa = magnitude & 7;
        float result = exponent == 0
            ? mantissa * (1f / 512f)
            : BitConverter.UInt32BitsToSingle((uint)(((exponent + 120) << 23) | (mantissa << 20)));
        return (value & 0x80) != 0 ? -result : result;
    }

    /// <summary>Squared Euclidean distance of two vectors of E4M3 codes, computed in float32.</summary>
    /// <param name="a">The first vector of E4M3 codes.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The squared distance.</returns>
    public static float L2SquaredE4M3(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref float table = ref MemoryMarshal.GetArrayDataReference(E4M3Values);
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            float d0 = Unsafe.Add(ref table, Unsafe.Add(ref x, i)) - Unsafe.Add(ref table, Unsafe.Add(ref y, i));
            float d1 = Unsafe.Add(ref table, Unsafe.Add(ref x, i + 1)) - Unsafe.Add(ref table, Unsafe.Add(ref y, i + 1));
            float d2 = Unsafe.Add(ref table, Unsafe.Add(ref x, i + 2)) - Unsafe.Add(ref table, Unsafe.Add(ref y, i + 2));
            float d3 = Unsafe.Add(ref table, Unsafe.Add(ref x, i + 3)) - Unsafe.Add(ref table, Unsafe.Add(ref y, i + 3));
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref table, Unsafe.Add(ref x, i)) - Unsafe.Add(ref table, Unsafe.Add(ref y, i));
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>Inner product of two vectors of E4M3 codes, computed in float32.</summary>
    /// <param name="a">The first vector of E4M3 codes.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The inner product.</returns>
    public static float DotE4M3(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref float table = ref MemoryMarshal.GetArrayDataReference(E4M3Values);
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        nuint i = 0;
        for (; i + 4 <= n; i += 4)
        {
            s0 += Unsafe.Add(ref table, Unsafe.Add(ref x, i)) * Unsafe.Add(ref table, Unsafe.Add(ref y, i));
            s1 += Unsafe.Add(ref table, Unsafe.Add(ref x, i + 1)) * Unsafe.Add(ref table, Unsafe.Add(ref y, i + 1));
            s2 += Unsafe.Add(ref table, Unsafe.Add(ref x, i + 2)) * Unsafe.Add(ref table, Unsafe.Add(ref y, i + 2));
            s3 += Unsafe.Add(ref table, Unsafe.Add(ref x, i + 3)) * Unsafe.Add(ref table, Unsafe.Add(ref y, i + 3));
        }
        for (; i < n; i++)
        {
            s0 += Unsafe.Add(ref table, Unsafe.Add(ref x, i)) * Unsafe.Add(ref table, Unsafe.Add(ref y, i));
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static float[] CreateE4M3Values()
    {
        var values = new float[256];
        for (int code = 0; code < values.Length; code++)
        {
            values[code] = FromE4M3((byte)code);
        }
        return values;
    }
}
