using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Store.Vectors;

// 8-bit kernels. x86: |a - b| as two saturating subtracts OR'ed (unsigned) or max - min (signed), widened
// to 16 bits by interleaving with zero (lane order is irrelevant to a sum), then pmaddwd squares and adds
// adjacent pairs into 32-bit lanes. Signed dot products sign-extend to 16 bits first. Bounds: a pmaddwd
// lane gains at most 2 * 255^2 per step and sees at most 65,535 / 32 steps, so no 32-bit lane overflows;
// the total is below 2^32 (see MaxLength).
public static partial class VectorKernels
{
    private static uint ByteL2Squared512(ref byte x, ref byte y, nuint n)
    {
        Vector512<int> s0 = Vector512<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<byte> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            Vector512<byte> d = Avx512BW.SubtractSaturate(a, b) | Avx512BW.SubtractSaturate(b, a);
            Vector512<short> lo = Avx512BW.UnpackLow(d, Vector512<byte>.Zero).AsInt16(), hi = Avx512BW.UnpackHigh(d, Vector512<byte>.Zero).AsInt16();
            s0 += Avx512BW.MultiplyAddAdjacent(lo, lo);
            s1 += Avx512BW.MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<byte> a = Vector512.LoadUnsafe(ref x, start), b = Vector512.LoadUnsafe(ref y, start);
            Vector512<byte> d = (Avx512BW.SubtractSaturate(a, b) | Avx512BW.SubtractSaturate(b, a)) & ByteTailMask512((int)(i - start));
            Vector512<short> lo = Avx512BW.UnpackLow(d, Vector512<byte>.Zero).AsInt16(), hi = Avx512BW.UnpackHigh(d, Vector512<byte>.Zero).AsInt16();
            s0 += Avx512BW.MultiplyAddAdjacent(lo, lo);
            s1 += Avx512BW.MultiplyAddAdjacent(hi, hi);
        }
        return Vector512.Sum((s0 + s1).AsUInt32());
    }

    private static uint SByteL2Squared512(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector512<int> s0 = Vector512<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<sbyte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<sbyte> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            Vector512<byte> d = (Avx512BW.Max(a, b) - Avx512BW.Min(a, b)).AsByte();
            Vector512<short> lo = Avx512BW.UnpackLow(d, Vector512<byte>.Zero).AsInt16(), hi = Avx512BW.UnpackHigh(d, Vector512<byte>.Zero).AsInt16();
            s0 += Avx512BW.MultiplyAddAdjacent(lo, lo);
            s1 += Avx512BW.MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<sbyte> a = Vector512.LoadUnsafe(ref x, start), b = Vector512.LoadUnsafe(ref y, start);
            Vector512<byte> d = (Avx512BW.Max(a, b) - Avx512BW.Min(a, b)).AsByte() & ByteTailMask512((int)(i - start));
            Vector512<short> lo = Avx512BW.UnpackLow(d, Vector512<byte>.Zero).AsInt16(), hi = Avx512BW.UnpackHigh(d, Vector512<byte>.Zero).AsInt16();
            s0 += Avx512BW.MultiplyAddAdjacent(lo, lo);
            s1 += Avx512BW.MultiplyAddAdjacent(hi, hi);
        }
        return Vector512.Sum((s0 + s1).AsUInt32());
    }

    private static uint ByteDot512(ref byte x, ref byte y, nuint n)
    {
        Vector512<int> s0 = Vector512<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector512<byte> a = Vector512.LoadUnsafe(ref x, i), b = Vector512.LoadUnsafe(ref y, i);
            s0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(a, Vector512<byte>.Zero).AsInt16(), Avx512BW.UnpackLow(b, Vector512<byte>.Zero).AsInt16());
            s1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(a, Vector512<byte>.Zero).AsInt16(), Avx512BW.UnpackHigh(b, Vector512<byte>.Zero).AsInt16());
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<byte> a = Vector512.LoadUnsafe(ref x, start) & ByteTailMask512((int)(i - start)), b = Vector512.LoadUnsafe(ref y, start);
            s0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackLow(a, Vector512<byte>.Zero).AsInt16(), Avx512BW.UnpackLow(b, Vector512<byte>.Zero).AsInt16());
            s1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.UnpackHigh(a, Vector512<byte>.Zero).AsInt16(), Avx512BW.UnpackHigh(b, Vector512<byte>.Zero).AsInt16());
        }
        return Vector512.Sum((s0 + s1).AsUInt32());
    }

    private static int SByteDot512(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector512<int> s0 = Vector512<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<sbyte>.Count;
        nuint half = width / 2;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            s0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref x, i)), Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref y, i)));
            s1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref x, i + half)), Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref y, i + half)));
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<sbyte> a = Vector512.LoadUnsafe(ref x, start) & ByteTailMask512((int)(i - start)).AsSByte(), b = Vector512.LoadUnsafe(ref y, start);
            s0 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(a.GetLower()), Avx512BW.ConvertToVector512Int16(b.GetLower()));
            s1 += Avx512BW.MultiplyAddAdjacent(Avx512BW.ConvertToVector512Int16(a.GetUpper()), Avx512BW.ConvertToVector512Int16(b.GetUpper()));
        }
        return Vector512.Sum(s0 + s1);
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> ByteTailMask512(int skip) =>
        Vector512.GreaterThanOrEqual(Vector512<sbyte>.Indices, Vector512.Create((sbyte)skip)).AsByte();

    private static uint ByteL2Squared256(ref byte x, ref byte y, nuint n)
    {
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            Vector256<byte> d = Avx2.SubtractSaturate(a, b) | Avx2.SubtractSaturate(b, a);
            Vector256<short> lo = Avx2.UnpackLow(d, Vector256<byte>.Zero).AsInt16(), hi = Avx2.UnpackHigh(d, Vector256<byte>.Zero).AsInt16();
            s0 += Avx2.MultiplyAddAdjacent(lo, lo);
            s1 += Avx2.MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<byte> a = Vector256.LoadUnsafe(ref x, start), b = Vector256.LoadUnsafe(ref y, start);
            Vector256<byte> d = (Avx2.SubtractSaturate(a, b) | Avx2.SubtractSaturate(b, a)) & ByteTailMask256((int)(i - start));
            Vector256<short> lo = Avx2.UnpackLow(d, Vector256<byte>.Zero).AsInt16(), hi = Avx2.UnpackHigh(d, Vector256<byte>.Zero).AsInt16();
            s0 += Avx2.MultiplyAddAdjacent(lo, lo);
            s1 += Avx2.MultiplyAddAdjacent(hi, hi);
        }
        return Vector256.Sum((s0 + s1).AsUInt32());
    }

    private static uint SByteL2Squared256(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<sbyte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<sbyte> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            Vector256<byte> d = (Avx2.Max(a, b) - Avx2.Min(a, b)).AsByte();
            Vector256<short> lo = Avx2.UnpackLow(d, Vector256<byte>.Zero).AsInt16(), hi = Avx2.UnpackHigh(d, Vector256<byte>.Zero).AsInt16();
            s0 += Avx2.MultiplyAddAdjacent(lo, lo);
            s1 += Avx2.MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<sbyte> a = Vector256.LoadUnsafe(ref x, start), b = Vector256.LoadUnsafe(ref y, start);
            Vector256<byte> d = (Avx2.Max(a, b) - Avx2.Min(a, b)).AsByte() & ByteTailMask256((int)(i - start));
            Vector256<short> lo = Avx2.UnpackLow(d, Vector256<byte>.Zero).AsInt16(), hi = Avx2.UnpackHigh(d, Vector256<byte>.Zero).AsInt16();
            s0 += Avx2.MultiplyAddAdjacent(lo, lo);
            s1 += Avx2.MultiplyAddAdjacent(hi, hi);
        }
        return Vector256.Sum((s0 + s1).AsUInt32());
    }

    private static uint ByteDot256(ref byte x, ref byte y, nuint n)
    {
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<byte> a = Vector256.LoadUnsafe(ref x, i), b = Vector256.LoadUnsafe(ref y, i);
            s0 += Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(a, Vector256<byte>.Zero).AsInt16(), Avx2.UnpackLow(b, Vector256<byte>.Zero).AsInt16());
            s1 += Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(a, Vector256<byte>.Zero).AsInt16(), Avx2.UnpackHigh(b, Vector256<byte>.Zero).AsInt16());
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<byte> a = Vector256.LoadUnsafe(ref x, start) & ByteTailMask256((int)(i - start)), b = Vector256.LoadUnsafe(ref y, start);
            s0 += Avx2.MultiplyAddAdjacent(Avx2.UnpackLow(a, Vector256<byte>.Zero).AsInt16(), Avx2.UnpackLow(b, Vector256<byte>.Zero).AsInt16());
            s1 += Avx2.MultiplyAddAdjacent(Avx2.UnpackHigh(a, Vector256<byte>.Zero).AsInt16(), Avx2.UnpackHigh(b, Vector256<byte>.Zero).AsInt16());
        }
        return Vector256.Sum((s0 + s1).AsUInt32());
    }

    private static int SByteDot256(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector256<int> s0 = Vector256<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector256<sbyte>.Count;
        nuint half = width / 2;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            s0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref x, i)), Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref y, i)));
            s1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref x, i + half)), Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref y, i + half)));
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector256<sbyte> a = Vector256.LoadUnsafe(ref x, start) & ByteTailMask256((int)(i - start)).AsSByte(), b = Vector256.LoadUnsafe(ref y, start);
            s0 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetLower()), Avx2.ConvertToVector256Int16(b.GetLower()));
            s1 += Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(a.GetUpper()), Avx2.ConvertToVector256Int16(b.GetUpper()));
        }
        return Vector256.Sum(s0 + s1);
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> ByteTailMask256(int skip) =>
        Vector256.GreaterThanOrEqual(Vector256<sbyte>.Indices, Vector256.Create((sbyte)skip)).AsByte();

    // Vector128: portable (SSE2, AdvSimd, WebAssembly). 8-bit products fit in 16 bits (255^2 < 2^16,
    // 128^2 < 2^15), so the multiply is done there and adjacent pairs are added while widening.
    private static uint ByteL2Squared128(ref byte x, ref byte y, nuint n)
    {
        Vector128<uint> s0 = Vector128<uint>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<byte> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            Vector128<byte> d = Vector128.Max(a, b) - Vector128.Min(a, b);
            Vector128<ushort> lo = Vector128.WidenLower(d), hi = Vector128.WidenUpper(d);
            s0 += MultiplyAddAdjacent(lo, lo);
            s1 += MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<byte> a = Vector128.LoadUnsafe(ref x, start), b = Vector128.LoadUnsafe(ref y, start);
            Vector128<byte> d = (Vector128.Max(a, b) - Vector128.Min(a, b)) & ByteTailMask128((int)(i - start));
            Vector128<ushort> lo = Vector128.WidenLower(d), hi = Vector128.WidenUpper(d);
            s0 += MultiplyAddAdjacent(lo, lo);
            s1 += MultiplyAddAdjacent(hi, hi);
        }
        return Vector128.Sum(s0 + s1);
    }

    private static uint SByteL2Squared128(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector128<uint> s0 = Vector128<uint>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<sbyte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<sbyte> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            Vector128<byte> d = (Vector128.Max(a, b) - Vector128.Min(a, b)).AsByte();
            Vector128<ushort> lo = Vector128.WidenLower(d), hi = Vector128.WidenUpper(d);
            s0 += MultiplyAddAdjacent(lo, lo);
            s1 += MultiplyAddAdjacent(hi, hi);
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<sbyte> a = Vector128.LoadUnsafe(ref x, start), b = Vector128.LoadUnsafe(ref y, start);
            Vector128<byte> d = (Vector128.Max(a, b) - Vector128.Min(a, b)).AsByte() & ByteTailMask128((int)(i - start));
            Vector128<ushort> lo = Vector128.WidenLower(d), hi = Vector128.WidenUpper(d);
            s0 += MultiplyAddAdjacent(lo, lo);
            s1 += MultiplyAddAdjacent(hi, hi);
        }
        return Vector128.Sum(s0 + s1);
    }

    private static uint ByteDot128(ref byte x, ref byte y, nuint n)
    {
        Vector128<uint> s0 = Vector128<uint>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<byte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<byte> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            s0 += MultiplyAddAdjacent(Vector128.WidenLower(a), Vector128.WidenLower(b));
            s1 += MultiplyAddAdjacent(Vector128.WidenUpper(a), Vector128.WidenUpper(b));
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<byte> a = Vector128.LoadUnsafe(ref x, start) & ByteTailMask128((int)(i - start)), b = Vector128.LoadUnsafe(ref y, start);
            s0 += MultiplyAddAdjacent(Vector128.WidenLower(a), Vector128.WidenLower(b));
            s1 += MultiplyAddAdjacent(Vector128.WidenUpper(a), Vector128.WidenUpper(b));
        }
        return Vector128.Sum(s0 + s1);
    }

    private static int SByteDot128(ref sbyte x, ref sbyte y, nuint n)
    {
        Vector128<int> s0 = Vector128<int>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<sbyte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector128<sbyte> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            s0 += MultiplyAddAdjacent(Vector128.WidenLower(a), Vector128.WidenLower(b));
            s1 += MultiplyAddAdjacent(Vector128.WidenUpper(a), Vector128.WidenUpper(b));
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector128<sbyte> a = Vector128.LoadUnsafe(ref x, start) & ByteTailMask128((int)(i - start)).AsSByte(), b = Vector128.LoadUnsafe(ref y, start);
            s0 += MultiplyAddAdjacent(Vector128.WidenLower(a), Vector128.WidenLower(b));
            s1 += MultiplyAddAdjacent(Vector128.WidenUpper(a), Vector128.WidenUpper(b));
        }
        return Vector128.Sum(s0 + s1);
    }

    /// <summary>Pairwise a_i * b_i + a_(i+1) * b_(i+1) into 32-bit lanes, for lanes of at most 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> MultiplyAddAdjacent(Vector128<ushort> a, Vector128<ushort> b)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.MultiplyAddAdjacent(a.AsInt16(), b.AsInt16()).AsUInt32();
        }
        Vector128<ushort> products = a * b;
        return AdvSimd.IsSupported
            ? AdvSimd.AddPairwiseWidening(products)
            : Vector128.WidenLower(products) + Vector128.WidenUpper(products);
    }

    /// <summary>Pairwise a_i * b_i + a_(i+1) * b_(i+1) into 32-bit lanes, for lanes in -128..127.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> MultiplyAddAdjacent(Vector128<short> a, Vector128<short> b)
    {
        if (Sse2.IsSupported)
        {
            return Sse2.MultiplyAddAdjacent(a, b);
        }
        Vector128<short> products = a * b;
        return AdvSimd.IsSupported
            ? AdvSimd.AddPairwiseWidening(products)
            : Vector128.WidenLower(products) + Vector128.WidenUpper(products);
    }

    /// <summary>All-ones in lanes at or above <paramref name="skip"/>: the lanes of an overlapping last load not yet summed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ByteTailMask128(int skip) =>
        Vector128.GreaterThanOrEqual(Vector128<sbyte>.Indices, Vector128.Create((sbyte)skip)).AsByte();

    private static uint ByteL2SquaredScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += (uint)(d * d);
        }
        return sum;
    }

    private static uint SByteL2SquaredScalar(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        uint sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += (uint)(d * d);
        }
        return sum;
    }

    private static uint ByteDotScalar(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        uint sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (uint)(a[i] * b[i]);
        }
        return sum;
    }

    private static int SByteDotScalar(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        int sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
