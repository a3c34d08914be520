using System.Runtime.InteropServices;

namespace Store.Vectors;

/// <summary>Half-float components (unit length under cosine); values beyond +-65504 are refused.</summary>
internal sealed class Float16Space(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.Float16, dimension * 2)
{
    private const float MaxHalf = 65504f;

    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector) =>
        VectorKernels.ToSingle(MemoryMarshal.Cast<byte, Half>(code[..CodeSize]), vector);

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<Half> x = MemoryMarshal.Cast<byte, Half>(a[..CodeSize]);
        ReadOnlySpan<Half> y = MemoryMarshal.Cast<byte, Half>(b[..CodeSize]);
        return Metric switch
        {
            VectorMetric.L2 => VectorKernels.L2Squared(x, y),
            VectorMetric.Cosine => 1 - VectorKernels.Dot(x, y),
            _ => -VectorKernels.Dot(x, y),
        };
    }

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        if (Metric == VectorMetric.Cosine)
        {
            WithUnit(vector, squares, 0, code, static (unit, _, c) => VectorKernels.ToHalf(unit, MemoryMarshal.Cast<byte, Half>(c)));
            return;
        }

        for (int i = 0; i < vector.Length; i++)
        {
            if (Math.Abs(vector[i]) > MaxHalf)
            {
                ThrowOutOfRange(i, vector[i], "Float16", "+-65504", "use Float32 or a scaled Int8 type");
            }
        }

        VectorKernels.ToHalf(vector, MemoryMarshal.Cast<byte, Half>(code));
    }
}
