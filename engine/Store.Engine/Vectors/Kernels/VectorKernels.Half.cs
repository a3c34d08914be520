using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Store.Vectors;

// Half kernels. .NET 10 exposes no F16C conversion, so halves are moved into the upper half of 32-bit
// lanes by interleaving with zero (lane order is irrelevant to a sum, and both operands are permuted alike)
// and converted with a shift, a mask and a multiply (HalfToSingle): 7 operations per vector, about twice
// as fast as rebuilding the float bit by bit without a multiply (measured: 1536 dims, 794 ns -> 369 ns).
// Half subnormals (|x| < 6.1e-5) become float denormal inputs to that multiply: the result stays exact,
// but CPUs that take a microcode assist on denormal operands (some Intel cores) slow down on such data;
// on the AMD EPYC used for the measurement, all-subnormal vectors cost 4% more.
public static partial class VectorKernels
{
    /// <summary>The half exponent field (0x7C00) shifted into float position (&lt;&lt; 13).</summary>
    private const int HalfExponentShifted = 0x0F800000;

    /// <summary>Sign, half exponent and half mantissa after the half is shifted into float position.</summary>
    private const int HalfSignExponentMantissa = unchecked((int)0x8FFFE000);

    /// <summary>The float32 exponent field.</summary>
    private const int SingleExponent = 0x7F800000;

    /// <summary>2^(127 - 15), exactly (the literal is within half an ulp): rescales a half exponent read with float's bias.</summary>
    private const float TwoToThe112 = 5.192297e33f;

    /// <summary>Halves 0..7 of each 128-bit block, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> HalfLow(Vector512<ushort> halves) => Avx512BW.UnpackLow(Vector512<ushort>.Zero, halves).AsInt32();

    /// <summary>Halves 8..15 of each 128-bit block, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> HalfHigh(Vector512<ushort> halves) => Avx512BW.UnpackHigh(Vector512<ushort>.Zero, halves).AsInt32();

    /// <summary>Halves 0..3 of each 128-bit block, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> HalfLow(Vector256<ushort> halves) => Avx2.UnpackLow(Vector256<ushort>.Zero, halves).AsInt32();

    /// <summary>Halves 4..7 of each 128-bit block, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> HalfHigh(Vector256<ushort> halves) => Avx2.UnpackHigh(Vector256<ushort>.Zero, halves).AsInt32();

    /// <summary>Halves 0..3, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> HalfLow(Vector128<ushort> halves) => Sse2.IsSupported
        ? Sse2.UnpackLow(Vector128<ushort>.Zero, halves).AsInt32()
        : Vector128.WidenLower(halves).AsInt32() << 16;

    /// <summary>Halves 4..7, in the upper 16 bits of 32-bit lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> HalfHigh(Vector128<ushort> halves) => Sse2.IsSupported
        ? Sse2.UnpackHigh(Vector128<ushort>.Zero, halves).AsInt32()
        : Vector128.WidenUpper(halves).AsInt32() << 16;

    private static float HalfL2Squared512(ref ushort x, ref ushort y, nuint n)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            Vector512<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector512<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
            s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector512.FusedMultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<ushort> mask = HalfTailMask512((int)(i - start));
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, start) & mask, b = Vector512.LoadUnsafe(ref y, start) & mask;
            Vector512<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector512<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
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
            s0 = Vector512.FusedMultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = Vector512.FusedMultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<ushort> mask = HalfTailMask512((int)(i - start));
            Vector512<ushort> a = Vector512.LoadUnsafe(ref x, start) & mask, b = Vector512.LoadUnsafe(ref y, start) & mask;
            s0 = Vector512.FusedMultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = Vector512.FusedMultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        return Vector512.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts halves held in the upper 16 bits of 32-bit lanes to float32, exactly: an arithmetic shift by 3
    /// and a mask put the sign at bit 31 and the exponent and mantissa under float's, so the lane reads as the
    /// half's value times 2^-112 (zero, subnormals included); one multiply by 2^112 scales it back. Infinity and
    /// NaN (exponent 31) get float's all-ones exponent, keeping their mantissa.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> HalfToSingle(Vector512<int> high)
    {
        Vector512<int> bits = Vector512.ShiftRightArithmetic(high, 3) & Vector512.Create(HalfSignExponentMantissa);
        Vector512<float> value = bits.AsSingle() * Vector512.Create(TwoToThe112);
        Vector512<int> special = Vector512.Equals(bits & Vector512.Create(HalfExponentShifted), Vector512.Create(HalfExponentShifted));
        return value | (special & Vector512.Create(SingleExponent)).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ushort> HalfTailMask512(int skip) =>
        Vector512.GreaterThanOrEqual(Vector512<short>.Indices, Vector512.Create((short)skip)).AsUInt16();

    private static float HalfL2Squared256(ref ushort x, ref ushort y, nuint n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            Vector256<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector256<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<ushort> mask = HalfTailMask256((int)(i - start));
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, start) & mask, b = Vector256.LoadUnsafe(ref y, start) & mask;
            Vector256<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector256<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
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
            s0 = MultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = MultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<ushort> mask = HalfTailMask256((int)(i - start));
            Vector256<ushort> a = Vector256.LoadUnsafe(ref x, start) & mask, b = Vector256.LoadUnsafe(ref y, start) & mask;
            s0 = MultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = MultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        return Vector256.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts halves held in the upper 16 bits of 32-bit lanes to float32, exactly: an arithmetic shift by 3
    /// and a mask put the sign at bit 31 and the exponent and mantissa under float's, so the lane reads as the
    /// half's value times 2^-112 (zero, subnormals included); one multiply by 2^112 scales it back. Infinity and
    /// NaN (exponent 31) get float's all-ones exponent, keeping their mantissa.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> HalfToSingle(Vector256<int> high)
    {
        Vector256<int> bits = Vector256.ShiftRightArithmetic(high, 3) & Vector256.Create(HalfSignExponentMantissa);
        Vector256<float> value = bits.AsSingle() * Vector256.Create(TwoToThe112);
        Vector256<int> special = Vector256.Equals(bits & Vector256.Create(HalfExponentShifted), Vector256.Create(HalfExponentShifted));
        return value | (special & Vector256.Create(SingleExponent)).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> HalfTailMask256(int skip) =>
        Vector256.GreaterThanOrEqual(Vector256<short>.Indices, Vector256.Create((short)skip)).AsUInt16();

    private static float HalfL2Squared128(ref ushort x, ref ushort y, nuint n)
    {
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<ushort>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            Vector128<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector128<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
            s0 = MultiplyAdd(d0, d0, s0);
            s1 = MultiplyAdd(d1, d1, s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<ushort> mask = HalfTailMask128((int)(i - start));
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, start) & mask, b = Vector128.LoadUnsafe(ref y, start) & mask;
            Vector128<float> d0 = HalfToSingle(HalfLow(a)) - HalfToSingle(HalfLow(b));
            Vector128<float> d1 = HalfToSingle(HalfHigh(a)) - HalfToSingle(HalfHigh(b));
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
            s0 = MultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = MultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<ushort> mask = HalfTailMask128((int)(i - start));
            Vector128<ushort> a = Vector128.LoadUnsafe(ref x, start) & mask, b = Vector128.LoadUnsafe(ref y, start) & mask;
            s0 = MultiplyAdd(HalfToSingle(HalfLow(a)), HalfToSingle(HalfLow(b)), s0);
            s1 = MultiplyAdd(HalfToSingle(HalfHigh(a)), HalfToSingle(HalfHigh(b)), s1);
        }
        return Vector128.Sum(s0 + s1);
    }

    /// <summary>
    /// Converts halves held in the upper 16 bits of 32-bit lanes to float32, exactly: an arithmetic shift by 3
    /// and a mask put the sign at bit 31 and the exponent and mantissa under float's, so the lane reads as the
    /// half's value times 2^-112 (zero, subnormals included); one multiply by 2^112 scales it back. Infinity and
    /// NaN (exponent 31) get float's all-ones exponent, keeping their mantissa.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> HalfToSingle(Vector128<int> high)
    {
        Vector128<int> bits = Vector128.ShiftRightArithmetic(high, 3) & Vector128.Create(HalfSignExponentMantissa);
        Vector128<float> value = bits.AsSingle() * Vector128.Create(TwoToThe112);
        Vector128<int> special = Vector128.Equals(bits & Vector128.Create(HalfExponentShifted), Vector128.Create(HalfExponentShifted));
        return value | (special & Vector128.Create(SingleExponent)).AsSingle();
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> HalfTailMask128(int skip) =>
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
