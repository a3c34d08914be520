using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Store.Bench.Suites.Ann;

/// <summary>Squared L2 distances for the suite's exact searches (ground truth, the harness-check subject).</summary>
internal static class L2Kernels
{
    /// <summary>Squared L2 of two float vectors of the same length (Vector256 lanes, two accumulators).</summary>
    public static float Float(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        int i = 0;
        float sum = 0;
        if (Vector256.IsHardwareAccelerated && n >= 16)
        {
            var acc0 = Vector256<float>.Zero;
            var acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                var d0 = Vector256.LoadUnsafe(ref x, (nuint)i) - Vector256.LoadUnsafe(ref y, (nuint)i);
                var d1 = Vector256.LoadUnsafe(ref x, (nuint)(i + 8)) - Vector256.LoadUnsafe(ref y, (nuint)(i + 8));
                acc0 = Fma.IsSupported ? Fma.MultiplyAdd(d0, d0, acc0) : acc0 + (d0 * d0);
                acc1 = Fma.IsSupported ? Fma.MultiplyAdd(d1, d1, acc1) : acc1 + (d1 * d1);
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        for (; i < n; i++)
        {
            float d = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
            sum += d * d;
        }

        return sum;
    }

    /// <summary>
    /// Squared L2 of two byte vectors of the same length, exact in int32 (up to 33,000 components of
    /// 0..255): with AVX2, bytes widened to int16, differences squared and pair-summed by vpmaddwd.
    /// </summary>
    public static int Byte(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        int n = a.Length;
        int i = 0;
        int sum = 0;
        if (Avx2.IsSupported && n >= 32)
        {
            var acc = Vector256<int>.Zero;
            for (; i <= n - 32; i += 32)
            {
                var (xl, xh) = Vector256.Widen(Vector256.LoadUnsafe(ref x, (nuint)i));
                var (yl, yh) = Vector256.Widen(Vector256.LoadUnsafe(ref y, (nuint)i));
                var dl = xl.AsInt16() - yl.AsInt16();
                var dh = xh.AsInt16() - yh.AsInt16();
                acc += Avx2.MultiplyAddAdjacent(dl, dl) + Avx2.MultiplyAddAdjacent(dh, dh);
            }

            sum = Vector256.Sum(acc);
        }

        for (; i < n; i++)
        {
            int d = Unsafe.Add(ref x, i) - Unsafe.Add(ref y, i);
            sum += d * d;
        }

        return sum;
    }
}
