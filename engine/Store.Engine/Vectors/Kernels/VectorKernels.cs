using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Store.Vectors;

/// <summary>
/// Distance kernels and element conversions for every vector element type.
/// Distance methods require spans of equal length, at most <see cref="MaxLength"/> elements,
/// and allocate nothing. Each picks the widest accelerated path (Vector512, Vector256, Vector128,
/// then scalar); a vector whose length is not a multiple of the width finishes with one overlapping,
/// masked load rather than a scalar loop.
/// </summary>
/// <remarks>
/// Float results depend on summation order, so they differ between paths (and from a sequential sum)
/// by a few units in the last place of the sum of |terms|; integer results are exact on every path.
/// </remarks>
public static partial class VectorKernels
{
    /// <summary>
    /// The largest supported vector length. It bounds the integer kernels so that their 32-bit
    /// accumulators cannot overflow: 65,535 * 255^2 &lt; 2^32.
    /// </summary>
    public const int MaxLength = 65535;

    /// <summary>Squared Euclidean distance: the sum of (a_i - b_i)^2.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The squared distance.</returns>
    public static float L2Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a.Length, b.Length);
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            return L2Squared512(ref x, ref y, n);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            return L2Squared256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            return L2Squared128(ref x, ref y, n);
        }
        return L2SquaredScalar(a, b);
    }

    /// <summary>Inner product: the sum of a_i * b_i.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The inner product.</returns>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        CheckLengths(a.Length, b.Length);
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<float>.Count)
        {
            return Dot512(ref x, ref y, n);
        }
        if (Vector256.IsHardwareAccelerated && n >= (nuint)Vector256<float>.Count)
        {
            return Dot256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<float>.Count)
        {
            return Dot128(ref x, ref y, n);
        }
        return DotScalar(a, b);
    }

    /// <summary>Squared Euclidean distance of half-precision vectors, computed in float32.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The squared distance.</returns>
    public static float L2Squared(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b)
    {
        CheckLengths(a.Length, b.Length);
        ref ushort x = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(a));
        ref ushort y = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(b));
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<ushort>.Count)
        {
            return HalfL2Squared512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<ushort>.Count)
        {
            return HalfL2Squared256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<ushort>.Count)
        {
            return HalfL2Squared128(ref x, ref y, n);
        }
        return HalfL2SquaredScalar(a, b);
    }

    /// <summary>Inner product of half-precision vectors, computed in float32.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The inner product.</returns>
    public static float Dot(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b)
    {
        CheckLengths(a.Length, b.Length);
        ref ushort x = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(a));
        ref ushort y = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(b));
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<ushort>.Count)
        {
            return HalfDot512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<ushort>.Count)
        {
            return HalfDot256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<ushort>.Count)
        {
            return HalfDot128(ref x, ref y, n);
        }
        return HalfDotScalar(a, b);
    }

    /// <summary>Squared Euclidean distance of unsigned 8-bit vectors; the result is exact.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The squared distance.</returns>
    public static uint L2Squared(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<byte>.Count)
        {
            return ByteL2Squared512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<byte>.Count)
        {
            return ByteL2Squared256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<byte>.Count)
        {
            return ByteL2Squared128(ref x, ref y, n);
        }
        return ByteL2SquaredScalar(a, b);
    }

    /// <summary>Inner product of unsigned 8-bit vectors; the result is exact.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The inner product.</returns>
    public static uint Dot(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref byte x = ref MemoryMarshal.GetReference(a);
        ref byte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<byte>.Count)
        {
            return ByteDot512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<byte>.Count)
        {
            return ByteDot256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<byte>.Count)
        {
            return ByteDot128(ref x, ref y, n);
        }
        return ByteDotScalar(a, b);
    }

    /// <summary>
    /// Squared Euclidean distance of signed 8-bit vectors; the result is exact. It is unsigned because
    /// it can exceed <see cref="int.MaxValue"/>: 65,535 * 255^2 &gt; 2^31 (but &lt; 2^32).
    /// </summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The squared distance.</returns>
    public static uint L2Squared(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref sbyte x = ref MemoryMarshal.GetReference(a);
        ref sbyte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<byte>.Count)
        {
            return SByteL2Squared512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<byte>.Count)
        {
            return SByteL2Squared256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<byte>.Count)
        {
            return SByteL2Squared128(ref x, ref y, n);
        }
        return SByteL2SquaredScalar(a, b);
    }

    /// <summary>Inner product of signed 8-bit vectors; the result is exact.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <returns>The inner product.</returns>
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        CheckLengths(a.Length, b.Length);
        ref sbyte x = ref MemoryMarshal.GetReference(a);
        ref sbyte y = ref MemoryMarshal.GetReference(b);
        nuint n = (nuint)a.Length;
        if (Avx512BW.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector512<sbyte>.Count)
        {
            return SByteDot512(ref x, ref y, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector256<sbyte>.Count)
        {
            return SByteDot256(ref x, ref y, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<sbyte>.Count)
        {
            return SByteDot128(ref x, ref y, n);
        }
        return SByteDotScalar(a, b);
    }

    /// <summary>Weighted squared Euclidean distance of signed 8-bit vectors: the sum of w_i * (a_i - b_i)^2.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, of the same length.</param>
    /// <param name="weights">One weight per dimension, of the same length.</param>
    /// <returns>The weighted squared distance.</returns>
    public static float WeightedL2Squared(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, ReadOnlySpan<float> weights)
    {
        CheckLengths(a.Length, b.Length);
        CheckLengths(a.Length, weights.Length);
        ref sbyte x = ref MemoryMarshal.GetReference(a);
        ref sbyte y = ref MemoryMarshal.GetReference(b);
        ref float w = ref MemoryMarshal.GetReference(weights);
        nuint n = (nuint)a.Length;
        if (Avx512F.IsSupported && Vector512.IsHardwareAccelerated && n >= (nuint)Vector128<sbyte>.Count)
        {
            return WeightedL2Squared512(ref x, ref y, ref w, n);
        }
        if (Avx2.IsSupported && n >= (nuint)Vector128<sbyte>.Count)
        {
            return WeightedL2Squared256(ref x, ref y, ref w, n);
        }
        if (Vector128.IsHardwareAccelerated && n >= (nuint)Vector128<sbyte>.Count)
        {
            return WeightedL2Squared128(ref x, ref y, ref w, n);
        }
        return WeightedL2SquaredScalar(a, b, weights);
    }

    /// <summary>Converts float32 values to half precision (round to nearest even).</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">Receives the converted values; at least as long as <paramref name="source"/>.</param>
    public static void ToHalf(ReadOnlySpan<float> source, Span<Half> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowDestinationTooShort();
        }
        TensorPrimitives.ConvertToHalf(source, destination);
    }

    /// <summary>Converts half-precision values to float32 (exact).</summary>
    /// <param name="source">The values to convert.</param>
    /// <param name="destination">Receives the converted values; at least as long as <paramref name="source"/>.</param>
    public static void ToSingle(ReadOnlySpan<Half> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            ThrowDestinationTooShort();
        }
        TensorPrimitives.ConvertToSingle(source, destination);
    }

    /// <summary>a * b + c, fused where the hardware has it (a plain multiply and add otherwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>a * b + c, fused where the hardware has it (a plain multiply and add otherwise).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported || AdvSimd.IsSupported ? Vector128.FusedMultiplyAdd(a, b, c) : (a * b) + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLengths(int a, int b)
    {
        if (a != b || (uint)a > MaxLength)
        {
            ThrowBadLengths(a, b);
        }
    }

    [DoesNotReturn]
    private static void ThrowBadLengths(int a, int b) =>
        throw new ArgumentException(a != b
            ? $"Vector lengths differ: {a} and {b}."
            : $"Vector length {a} exceeds the maximum of {MaxLength}.");

    [DoesNotReturn]
    private static void ThrowDestinationTooShort() =>
        throw new ArgumentException("The destination span is shorter than the source.", "destination");
}
