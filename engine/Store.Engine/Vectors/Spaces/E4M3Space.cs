namespace Store.Vectors;

/// <summary>OCP float8 E4M3 components (saturating at +-448; unit length first under cosine), decoded through a table.</summary>
internal sealed class E4M3Space(int dimension, VectorMetric metric)
    : VectorSpace(dimension, metric, VectorElementType.Float8E4M3, dimension)
{
    private static readonly float[] Values = [.. Enumerable.Range(0, 256).Select(c => VectorKernels.FromE4M3((byte)c))];

    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        for (int i = 0; i < Dimension; i++)
        {
            vector[i] = Values[code[i]];
        }
    }

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        float[] values = Values;
        float sum = 0;
        if (Metric == VectorMetric.L2)
        {
            for (int i = 0; i < Dimension; i++)
            {
                float d = values[a[i]] - values[b[i]];
                sum += d * d;
            }

            return sum;
        }

        for (int i = 0; i < Dimension; i++)
        {
            sum += values[a[i]] * values[b[i]];
        }

        return Metric == VectorMetric.Cosine ? 1 - sum : -sum;
    }

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        if (Metric == VectorMetric.Cosine)
        {
            WithUnit(vector, squares, 0, code, static (unit, _, c) => Quantize(unit, c));
        }
        else
        {
            Quantize(vector, code);
        }
    }

    private static void Quantize(ReadOnlySpan<float> vector, Span<byte> code)
    {
        for (int i = 0; i < vector.Length; i++)
        {
            code[i] = VectorKernels.ToE4M3(vector[i]);
        }
    }
}
