using System.Runtime.InteropServices;

namespace Store.Vectors;

/// <summary>
/// Floats quantized to -127..127 with one fixed scale per dimension (component i is stored as
/// round(v_i / s_i), clamped): distances weight each dimension by s_i^2. Unit length first under cosine.
/// </summary>
internal sealed class Int8DimensionScaleSpace : VectorSpace
{
    private readonly float[] _scales;
    private readonly float[] _inverse;
    private readonly float[] _weights;

    public Int8DimensionScaleSpace(int dimension, VectorMetric metric, float[]? scales)
        : base(dimension, metric, VectorElementType.Int8PerDimensionScale, dimension)
    {
        if (scales is null || scales.Length != dimension)
        {
            throw new ArgumentOutOfRangeException(
                nameof(scales), scales?.Length, $"Int8PerDimensionScale needs {dimension} scales, one per dimension (VectorCollectionOptions.DimensionScales, or a first bulk load to estimate them).");
        }

        if (scales.Any(s => !(s > 0) || !float.IsFinite(s)))
        {
            throw new ArgumentOutOfRangeException(nameof(scales), "Every dimension scale must be a positive finite number.");
        }

        _scales = [.. scales];
        _inverse = [.. scales.Select(s => 1 / s)];
        _weights = [.. scales.Select(s => s * s)];
    }

    /// <summary>The per-dimension scales (a copy).</summary>
    public float[] Scales => [.. _scales];

    /// <summary>Scales that map the largest |component| seen in each dimension to 127 (1 where a dimension is always 0).</summary>
    public static float[] EstimateScales(int dimension, IEnumerable<float[]> sample, VectorMetric metric)
    {
        var max = new float[dimension];
        foreach (float[] v in sample)
        {
            float inverseNorm = 1;
            if (metric == VectorMetric.Cosine)
            {
                double squares = v.Sum(x => (double)x * x);
                inverseNorm = squares > 0 ? (float)(1 / Math.Sqrt(squares)) : 0;
            }

            for (int i = 0; i < dimension && i < v.Length; i++)
            {
                max[i] = Math.Max(max[i], Math.Abs(v[i] * inverseNorm));
            }
        }

        return [.. max.Select(m => m > 0 && float.IsFinite(m) ? m / 127f : 1f)];
    }

    public override void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        ReadOnlySpan<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..Dimension]);
        for (int i = 0; i < Dimension; i++)
        {
            vector[i] = values[i] * _scales[i];
        }
    }

    public override float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        ReadOnlySpan<sbyte> x = MemoryMarshal.Cast<byte, sbyte>(a[..Dimension]);
        ReadOnlySpan<sbyte> y = MemoryMarshal.Cast<byte, sbyte>(b[..Dimension]);
        if (Metric == VectorMetric.L2)
        {
            return VectorKernels.WeightedL2Squared(x, y, _weights);
        }

        float dot = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dot += _weights[i] * x[i] * y[i];
        }

        return Metric == VectorMetric.Cosine ? 1 - dot : -dot;
    }

    private protected override void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares)
    {
        if (Metric == VectorMetric.Cosine)
        {
            WithUnit(vector, squares, _inverse, code, static (unit, inverse, c) => Quantize(unit, inverse, c));
        }
        else
        {
            Quantize(vector, _inverse, code);
        }
    }

    private static void Quantize(ReadOnlySpan<float> vector, float[] inverse, Span<byte> code)
    {
        Span<sbyte> values = MemoryMarshal.Cast<byte, sbyte>(code[..vector.Length]);
        for (int i = 0; i < vector.Length; i++)
        {
            values[i] = (sbyte)Math.Clamp((int)MathF.Round(vector[i] * inverse[i]), -127, 127);
        }
    }
}
