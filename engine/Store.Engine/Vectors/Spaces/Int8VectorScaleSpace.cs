using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Store.Vectors;

/// <summary>
/// Floats quantized to -127..127 with one scale per vector (max |component| / 127; unit length first
/// under cosine). Code: the bytes, the scale, then the sum of squared codes (so L2 needs one dot product).
/// </summary>
internal sealed class Int8VectorScaleSpace(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.Int8PerVectorScale, dimension + (2 * sizeof(float)))
{
    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        ReadOnlySpan<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..Dimension]);
        float scale = Scale(code);
        for (int i = 0; i < Dimension; i++)
        {
            vector[i] = values[i] * scale;
        }
    }

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        float dot = VectorKernels.Dot(MemoryMarshal.Cast<byte, sbyte>(a[..Dimension]), MemoryMarshal.Cast<byte, sbyte>(b[..Dimension]));
        float sa = Scale(a), sb = Scale(b);
        switch (Metric)
        {
            case VectorMetric.L2:
                return Math.Max(0, (sa * sa * Squares(a)) + (sb * sb * Squares(b)) - (2 * sa * sb * dot));
            case VectorMetric.Cosine:
                float norms = MathF.Sqrt(Squares(a) * Squares(b));
                return norms == 0 ? 1 : 1 - (dot / norms);
            default:
                return -(sa * sb * dot);
        }
    }

    private float Scale(ReadOnlySpan<byte> code) => BinaryPrimitives.ReadSingleLittleEndian(code[Dimension..]);

    private float Squares(ReadOnlySpan<byte> code) => BinaryPrimitives.ReadSingleLittleEndian(code[(Dimension + sizeof(float))..]);

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        if (Metric == VectorMetric.Cosine)
        {
            WithUnit(vector, squares, Dimension, code, static (unit, dimension, c) => Quantize(unit, dimension, c));
        }
        else
        {
            Quantize(vector, Dimension, code);
        }
    }

    private static void Quantize(ReadOnlySpan<float> vector, int dimension, Span<byte> code)
    {
        float max = 0;
        foreach (float v in vector)
        {
            max = Math.Max(max, Math.Abs(v));
        }

        float scale = max / 127f;
        float inverse = scale == 0 ? 0 : 1 / scale;
        Span<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..dimension]);
        long squares = 0;
        for (int i = 0; i < dimension; i++)
        {
            int q = (int)MathF.Round(vector[i] * inverse);
            values[i] = (sbyte)Math.Clamp(q, -127, 127);
            squares += values[i] * values[i];
        }

        BinaryPrimitives.WriteSingleLittleEndian(code[dimension..], scale);
        BinaryPrimitives.WriteSingleLittleEndian(code[(dimension + sizeof(float))..], squares);
    }
}
