using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Store.Vectors;

// Half kernels: .NET 10 exposes no F16C conversion, so halves are widened to 32-bit lanes and converted
// with integer operations (HalfBitsToSingle), then summed in float32 as the float kernels do.
public static partial class VectorKernels
{
    /// <summary>The half exponent field (0x7C00) shifted into float position (&lt;&lt; 13).</summary>
    private const uint HalfExponentShifted = 0x0F800000;

    /// <summary>(127 - 15) &lt;&lt; 23: moves a half exponent to float bias.</summary>
    private const uint HalfRebias = 0x38000000;

    /// <summary>The bits of 2^-14 as a float32: the smallest normal half.</summary>
    private const uint SingleTwoToMinus14 = 0x38800000;

    private static float HalfL2Squared512(ref ushort x, ref ushort y, nuint n)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            Vector512<float> d0 = HalfBitsToSingle(Vector512.WidenLower(a)) - HalfBitsToSingle(Vector512.WidenLower(b));
            Vector512<float> d1 = HalfBitsToSingle(Vector512.WidenUpper(a)) - HalfBitsToSingle(Vector512.WidenUpper(b));
            s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector512.FusedMultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<ushort> mask = HalfTailMask512(i - start);
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, start) & mask, b = Vector512.LoadUnsafe(ref y, start) & mask;
            Vector512<float> d0 = HalfBitsToSingle(Vector512.WidenLower(a)) - HalfBitsToSingle(Vector512.WidenLower(b));
            Vector512<float> d1 = HalfBitsToSingle(Vector512.WidenUpper(a)) - HalfBitsToSingle(Vector512.WidenUpper(b));
            s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector512.FusedMultiplyAdd(d1, d1, s1);
        }
        return Vector512.Sum(s0 + s1);
    }

    private static float HalfDot512(ref ushort x, ref ushort y, nuint n)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            s0 = Vector512.FusedMultiplyAdd(HalfBitsToSingle(Vector512.WidenLower(a)), HalfBitsToSingle(Vector512.WidenLower(b)), s0);
            s1 = Vector512.FusedMultiplyAdd(HalfBitsToSingle(Vector512.WidenUpper(a)), HalfBitsToSingle(Vector512.WidenUpper(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<ushort> mask = HalfTailMask512(i - start);
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, start) & mask, b = Vector512.LoadUnsafe(ref y, start) & mask;
            s0 = Vector512.FusedMultiplyAdd(HalfBitsToSingle(Vector512.WidenLower(a)), HalfBitsToSingle(Vector512.WidenLower(b)), s0);
            s1 = Vector512.FusedMultiplyAdd(HalfBitsToSingle(Vector512.WidenUpper(a)), HalfBitsToSingle(Vector512.WidenUpper(b)), s1);
        }
        return Vector512.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts half-precision bit patterns (one per 32-bit lane) to float32 exactly, without float
    /// arithmetic on denormals: rebias the exponent; for zero and subnormal halves, build 2^-14 * (1 + m/1024)
    /// and subtract 2^-14; for infinity and NaN, move the exponent to all-ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HalfBitsToSingle(Vector512<uint> h)
    {
        Vector512<uint> o = (h & Vector512.Create(0x7FFFu)) << 13;
        Vector512<uint> exponent = o & Vector512.Create(HalfExponentShifted);
        o += Vector512.Create(HalfRebias);
        o += Vector512.Equals(exponent, Vector512.Create(HalfExponentShifted)) & Vector512.Create(HalfRebias);
        Vector512<uint> subnormal = Vector512.Equals(exponent, Vector512<uint>.Zero);
        o += subnormal & Vector512.Create(0x00800000u);
        Vector512<float> f = o.AsSingle() - (subnormal & Vector512.Create(SingleTwoToMinus14)).AsSingle();
        return f | ((h & Vector512.Create(0x8000u)) << 16).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> HalfTailMask512(nuint skip) =>
        Vector512.GreaterThanOrEqual(Vector512<short>.Indices, Vector512.Create((short)skip)).AsUInt16();

    private static float HalfL2Squared256(ref ushort x, ref ushort y, nuint n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            Vector256<float> d0 = HalfBitsToSingle(Vector256.WidenLower(a)) - HalfBitsToSingle(Vector256.WidenLower(b));
            Vector256<float> d1 = HalfBitsToSingle(Vector256.WidenUpper(a)) - HalfBitsToSingle(Vector256.WidenUpper(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<ushort> mask = HalfTailMask256(i - start);
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, start) & mask, b = Vector256.LoadUnsafe(ref y, start) & mask;
            Vector256<float> d0 = HalfBitsToSingle(Vector256.WidenLower(a)) - HalfBitsToSingle(Vector256.WidenLower(b));
            Vector256<float> d1 = HalfBitsToSingle(Vector256.WidenUpper(a)) - HalfBitsToSingle(Vector256.WidenUpper(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        return Vector256.Sum(s0 + s1);
    }

    private static float HalfDot256(ref ushort x, ref ushort y, nuint n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            s0 = MultiplyAdd(HalfBitsToSingle(Vector256.WidenLower(a)), HalfBitsToSingle(Vector256.WidenLower(b)), s0);
            s1 = MultiplyAdd(HalfBitsToSingle(Vector256.WidenUpper(a)), HalfBitsToSingle(Vector256.WidenUpper(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<ushort> mask = HalfTailMask256(i - start);
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, start) & mask, b = Vector256.LoadUnsafe(ref y, start) & mask;
            s0 = MultiplyAdd(HalfBitsToSingle(Vector256.WidenLower(a)), HalfBitsToSingle(Vector256.WidenLower(b)), s0);
            s1 = MultiplyAdd(HalfBitsToSingle(Vector256.WidenUpper(a)), HalfBitsToSingle(Vector256.WidenUpper(b)), s1);
        }
        return Vector256.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts half-precision bit patterns (one per 32-bit lane) to float32 exactly, without float
    /// arithmetic on denormals: rebias the exponent; for zero and subnormal halves, build 2^-14 * (1 + m/1024)
    /// and subtract 2^-14; for infinity and NaN, move the exponent to all-ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> HalfBitsToSingle(Vector256<uint> h)
    {
        Vector256<uint> o = (h & Vector256.Create(0x7FFFu)) << 13;
        Vector256<uint> exponent = o & Vector256.Create(HalfExponentShifted);
        o += Vector256.Create(HalfRebias);
        o += Vector256.Equals(exponent, Vector256.Create(HalfExponentShifted)) & Vector256.Create(HalfRebias);
        Vector256<uint> subnormal = Vector256.Equals(exponent, Vector256<uint>.Zero);
        o += subnormal & Vector256.Create(0x00800000u);
        Vector256<float> f = o.AsSingle() - (subnormal & Vector256.Create(SingleTwoToMinus14)).AsSingle();
        return f | ((h & Vector256.Create(0x8000u)) << 16).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> HalfTailMask256(nuint skip) =>
        Vector256.GreaterThanOrEqual(Vector256<short>.Indices, Vector256.Create((short)skip)).AsUInt16();

    private static float HalfL2Squared128(ref ushort x, ref ushort y, nuint n)
    {
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            Vector128<float> d0 = HalfBitsToSingle(Vector128.WidenLower(a)) - HalfBitsToSingle(Vector128.WidenLower(b));
            Vector128<float> d1 = HalfBitsToSingle(Vector128.WidenUpper(a)) - HalfBitsToSingle(Vector128.WidenUpper(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<ushort> mask = HalfTailMask128(i - start);
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, start) & mask, b = Vector128.LoadUnsafe(ref y, start) & mask;
            Vector128<float> d0 = HalfBitsToSingle(Vector128.WidenLower(a)) - HalfBitsToSingle(Vector128.WidenLower(b));
            Vector128<float> d1 = HalfBitsToSingle(Vector128.WidenUpper(a)) - HalfBitsToSingle(Vector128.WidenUpper(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        return Vector128.Sum(s0 + s1);
    }

    private static float HalfDot128(ref ushort x, ref ushort y, nuint n)
    {
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            s0 = MultiplyAdd(HalfBitsToSingle(Vector128.WidenLower(a)), HalfBitsToSingle(Vector128.WidenLower(b)), s0);
            s1 = MultiplyAdd(HalfBitsToSingle(Vector128.WidenUpper(a)), HalfBitsToSingle(Vector128.WidenUpper(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<ushort> mask = HalfTailMask128(i - start);
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, start) & mask, b = Vector128.LoadUnsafe(ref y, start) & mask;
            s0 = MultiplyAdd(HalfBitsToSingle(Vector128.WidenLower(a)), HalfBitsToSingle(Vector128.WidenLower(b)), s0);
            s1 = MultiplyAdd(HalfBitsToSingle(Vector128.WidenUpper(a)), HalfBitsToSingle(Vector128.WidenUpper(b)), s1);
        }
        return Vector128.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts half-precision bit patterns (one per 32-bit lane) to float32 exactly, without float
    /// arithmetic on denormals: rebias the exponent; for zero and subnormal halves, build 2^-14 * (1 + m/1024)
    /// and subtract 2^-14; for infinity and NaN, move the exponent to all-ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> HalfBitsToSingle(Vector128<uint> h)
    {
        Vector128<uint> o = (h & Vector128.Create(0x7FFFu)) << 13;
        Vector128<uint> exponent = o & Vector128.Create(HalfExponentShifted);
        o += Vector128.Create(HalfRebias);
        o += Vector128.Equals(exponent, Vector128.Create(HalfExponentShifted)) & Vector128.Create(HalfRebias);
        Vector128<uint> subnormal = Vector128.Equals(exponent, Vector128<uint>.Zero);
        o += subnormal & Vector128.Create(0x00800000u);
        Vector128<float> f = o.AsSingle() - (subnormal & Vector128.Create(SingleTwoToMinus14)).AsSingle();
        return f | ((h & Vector128.Create(0x8000u)) << 16).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> HalfTailMask128(nuint skip) =>
        Vector128.GreaterThanOrEqual(Vector128<short>.Indices, Vector128.Create((short)skip)).AsUInt16();

    private static float HalfL2SquaredScalar(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (float)a[i] - (float)b[i];
            sum += d * d;
        }
        return (float)sum;
    }

    private static float HalfDotScalar(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (double)(float)a[i] * (float)b[i];
        }
        return (float)sum;
    }
}
