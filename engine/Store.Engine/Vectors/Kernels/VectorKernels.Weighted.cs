using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Store.Vectors;

// Weighted int8 L2: differences are exact in 16 bits (-255..255), widened to 32-bit integers, converted
// to float (exact), squared (exact: at most 65,025) and multiplied into the weights. The masked tail zeroes
// weights rather than differences: a difference is always finite, so 0 * d^2 is exactly 0. Every path
// requires at least 16 elements (one 128-bit load of each byte vector).
public static partial class VectorKernels
{
    private static float WeightedL2Squared512(ref sbyte x, ref sbyte y, ref float w, nuint n)
    {
        Vector512<float> s0 = Vector512<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector512<float>.Count;
        nuint i = 0;
        for (; i + (2 * width) <= n; i += 2 * width)
        {
            Vector512<float> d0 = WeightedDifference512(ref x, ref y, i);
            Vector512<float> d1 = WeightedDifference512(ref x, ref y, i + width);
            s0 = Vector512.FusedMultiplyAdd(d0 * d0, Vector512.LoadUnsafe(ref w, i), s0);
            s1 = Vector512.FusedMultiplyAdd(d1 * d1, Vector512.LoadUnsafe(ref w, i + width), s1);
        }
        if (i + width <= n)
        {
            Vector512<float> d = WeightedDifference512(ref x, ref y, i);
            s0 = Vector512.FusedMultiplyAdd(d * d, Vector512.LoadUnsafe(ref w, i), s0);
            i += width;
        }
        if (i != n)
        {
            nuint start = n - width;
            Vector512<float> d = WeightedDifference512(ref x, ref y, start);
            Vector512<float> weight = Vector512.LoadUnsafe(ref w, start) & TailMask512((int)(i - start));
            s1 = Vector512.FusedMultiplyAdd(d * d, weight, s1);
        }
        return Vector512.Sum(s0 + s1);
    }

    private static Vector512<float> WeightedDifference512(ref sbyte x, ref sbyte y, nuint i) =>
        Vector512.ConvertToSingle(
            Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref x, i)) - Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref y, i)));

    private static float WeightedL2Squared256(ref sbyte x, ref sbyte y, ref float w, nuint n)
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = s0;
        nuint width = (nuint)Vector128<sbyte>.Count;
        nuint i = 0;
        for (; i + width <= n; i += width)
        {
            Vector256<short> d = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref x, i)) - Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref y, i));
            Vector256<float> d0 = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(d.GetLower()));
            Vector256<float> d1 = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(d.GetUpper()));
            s0 = MultiplyAdd(d0 * d0, Vector256.LoadUnsafe(ref w, i), s0);
            s1 = MultiplyAdd(d1 * d1, Vector256.LoadUnsafe(ref w, i + 8), s1);
        }
        if (i != n)
        {
            nuint start = n - width;
            int skip = (int)(i - start);
            Vector256<short> d = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref x, start)) - Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref y, start));
            Vector256<float> d0 = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(d.GetLower()));
            Vector256<float> d1 = Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(d.GetUpper()));
            s0 = MultiplyAdd(d0 * d0, Vector256.LoadUnsafe(ref w, start) & TailMask256(skip), s0);
            s1 = MultiplyAdd(d1 * d1, Vector256.LoadUnsafe(ref w, start + 8) & TailMask256(skip - 8), s1);
        }
        return Vector256.Sum(s0 + s1);
    }

    private static float WeightedL2Squared128(ref sbyte x, ref sbyte y, ref float w, nuint n)
    {
        Vector128<float> s0 = Vector128<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
        nuint width = (nuint)Vector128<sbyte>.Count;
        nuint i = 0;
        int skip = 0;
        while (true)
        {
            if (i + width > n)
            {
                if (i == n)
                {
                    break;
                }
                nuint start = n - width;
                skip = (int)(i - start);
                i = start;
            }
            Vector128<sbyte> a = Vector128.LoadUnsafe(ref x, i), b = Vector128.LoadUnsafe(ref y, i);
            Vector128<short> lo = Vector128.WidenLower(a) - Vector128.WidenLower(b);
            Vector128<short> hi = Vector128.WidenUpper(a) - Vector128.WidenUpper(b);
            Vector128<float> d0 = Vector128.ConvertToSingle(Vector128.WidenLower(lo));
            Vector128<float> d1 = Vector128.ConvertToSingle(Vector128.WidenUpper(lo));
            Vector128<float> d2 = Vector128.ConvertToSingle(Vector128.WidenLower(hi));
            Vector128<float> d3 = Vector128.ConvertToSingle(Vector128.WidenUpper(hi));
            Vector128<float> w0 = Vector128.LoadUnsafe(ref w, i), w1 = Vector128.LoadUnsafe(ref w, i + 4);
            Vector128<float> w2 = Vector128.LoadUnsafe(ref w, i + 8), w3 = Vector128.LoadUnsafe(ref w, i + 12);
            if (skip != 0)
            {
                w0 &= TailMask128(skip);
                w1 &= TailMask128(skip - 4);
                w2 &= TailMask128(skip - 8);
                w3 &= TailMask128(skip - 12);
            }
            s0 = MultiplyAdd(d0 * d0, w0, s0);
            s1 = MultiplyAdd(d1 * d1, w1, s1);
            s2 = MultiplyAdd(d2 * d2, w2, s2);
            s3 = MultiplyAdd(d3 * d3, w3, s3);
            i += width;
            if (skip != 0)
            {
                break;
            }
        }
        return Vector128.Sum((s0 + s1) + (s2 + s3));
    }

    private static float WeightedL2SquaredScalar(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, ReadOnlySpan<float> weights)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            sum += (double)weights[i] * (d * d);
        }
        return (float)sum;
    }
}
