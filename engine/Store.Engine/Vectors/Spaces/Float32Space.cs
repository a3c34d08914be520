using System.Runtime.InteropServices;

namespace Store.Vectors;

/// <summary>Float32 components, stored as they are (unit length under cosine).</summary>
internal sealed class Float32Space(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.Float32, dimension * sizeof(float))
{
    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector) =>
        MemoryMarshal.Cast<byte, float>(code[..CodeSize]).CopyTo(vector);

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<float> x = MemoryMarshal.Cast<byte, float>(a[..CodeSize]);
        ReadOnlySpan<float> y = MemoryMarshal.Cast<byte, float>(b[..CodeSize]);
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
            WithUnit(vector, squares, 0, code, static (unit, _, c) => MemoryMarshal.AsBytes(unit).CopyTo(c));
        }
        else
        {
            MemoryMarshal.AsBytes(vector).CopyTo(code);
        }
    }
}
