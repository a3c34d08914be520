using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Store.Vectors;

/// <summary>
/// Raw unsigned bytes: whole numbers 0..255 stored exactly (pixels, already-quantized data).
/// Under cosine a float with the vector's inverse norm follows the bytes.
/// </summary>
internal sealed class ByteSpace(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.UInt8, dimension + (metric == VectorMetric.Cosine ? sizeof(float) : 0))
{
    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        for (int i = 0; i < Dimension; i++)
        {
            vector[i] = code[i];
        }
    }

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<byte> x = a[..Dimension], y = b[..Dimension];
        return Metric switch
        {
            VectorMetric.L2 => VectorKernels.L2Squared(x, y),
            VectorMetric.Cosine => 1 - (VectorKernels.Dot(x, y) * InverseNorm(a) * InverseNorm(b)),
            _ => -(float)VectorKernels.Dot(x, y),
        };
    }

    private float InverseNorm(ReadOnlySpan<byte> code) => BinaryPrimitives.ReadSingleLittleEndian(code[Dimension..]);

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            float v = vector[i];
            if (v is < 0 or > 255 || v != MathF.Round(v))
            {
                ThrowOutOfRange(i, v, "UInt8", "whole numbers 0 to 255", "use Float16, Float32 or Int8PerVectorScale for other values");
            }

            code[i] = (byte)v;
        }

        if (Metric == VectorMetric.Cosine)
        {
            BinaryPrimitives.WriteSingleLittleEndian(code[Dimension..], (float)(1 / Math.Sqrt(squares)));
        }
    }
}

/// <summary>Raw signed bytes: whole numbers -128..127 stored exactly; under cosine the inverse norm follows.</summary>
internal sealed class SByteSpace(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.Int8, dimension + (metric == VectorMetric.Cosine ? sizeof(float) : 0))
{
    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        ReadOnlySpan<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..Dimension]);
        for (int i = 0; i < Dimension; i++)
        {
            vector[i] = values[i];
        }
    }

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<sbyte> x = MemoryMarshal.Cast<byte, sbyte>(a[..Dimension]);
        ReadOnlySpan<sbyte> y = MemoryMarshal.Cast<byte, sbyte>(b[..Dimension]);
        return Metric switch
        {
            VectorMetric.L2 => VectorKernels.L2Squared(x, y),
            VectorMetric.Cosine => 1 - (VectorKernels.Dot(x, y) * InverseNorm(a) * InverseNorm(b)),
            _ => -(float)VectorKernels.Dot(x, y),
        };
    }

    private float InverseNorm(ReadOnlySpan<byte> code) => BinaryPrimitives.ReadSingleLittleEndian(code[Dimension..]);

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        Span<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..Dimension]);
        for (int i = 0; i < vector.Length; i++)
        {
            float v = vector[i];
            if (v is < -128 or > 127 || v != MathF.Round(v))
            {
                ThrowOutOfRange(i, v, "Int8", "whole numbers -128 to 127", "use Float16, Float32 or Int8PerVectorScale for other values");
            }

            values[i] = (sbyte)v;
        }

        if (Metric == VectorMetric.Cosine)
        {
            BinaryPrimitives.WriteSingleLittleEndian(code[Dimension..], (float)(1 / Math.Sqrt(squares)));
        }
    }
}
