using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Store.Vectors;

/// <summary>
/// The encoding and distance of one collection's vectors: dimension, metric and element type.
/// A vector is checked and encoded once into a fixed-size code (<see cref="CodeSize"/> bytes);
/// distances are computed between codes, so a query is encoded like the vectors it is compared to.
/// Smaller distances are closer for every metric. Instances are immutable and thread-safe.
/// </summary>
public abstract class VectorSpace
{
    /// <summary>The largest dimension a collection may have.</summary>
    public const int MaxDimension = 16_384;

    /// <summary>Vectors at most this long are normalised on the stack; longer ones use a pooled array.</summary>
    private protected const int StackFloats = 1024;

    private protected VectorSpace(int dimension, VectorMetric metric, VectorElementType elementType, int codeSize)
    {
        Dimension = dimension;
        Metric = metric;
        ElementType = elementType;
        CodeSize = codeSize;
    }

    /// <summary>Components per vector.</summary>
    public int Dimension { get; }

    /// <summary>How distance is measured.</summary>
    public VectorMetric Metric { get; }

    /// <summary>How components are stored.</summary>
    public VectorElementType ElementType { get; }

    /// <summary>Bytes of one encoded vector.</summary>
    public int CodeSize { get; }

    /// <summary>
    /// The space for a dimension, metric and element type. <paramref name="dimensionScales"/> is
    /// required for <see cref="VectorElementType.Int8PerDimensionScale"/> (one positive scale per
    /// dimension) and ignored otherwise.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The dimension, metric, type or scales are invalid; the message says which.</exception>
    public static VectorSpace Create(int dimension, VectorMetric metric, VectorElementType elementType, float[]? dimensionScales = null)
    {
        if (dimension is < 1 or > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"A dimension is 1 to {MaxDimension}.");
        }

        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric: use L2, Cosine or InnerProduct.");
        }

        return elementType switch
        {
            VectorElementType.Float32 => new Float32Space(dimension, metric),
            VectorElementType.Float16 => new Float16Space(dimension, metric),
            VectorElementType.UInt8 => new ByteSpace(dimension, metric),
            VectorElementType.Int8 => new SByteSpace(dimension, metric),
            VectorElementType.Int8PerVectorScale => new Int8VectorScaleSpace(dimension, metric),
            VectorElementType.Int8PerDimensionScale => new Int8DimensionScaleSpace(dimension, metric, dimensionScales),
            VectorElementType.Float8E4M3 => new E4M3Space(dimension, metric),
            _ => throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Unknown element type."),
        };
    }

    /// <summary>Checks a vector and encodes it into <paramref name="code"/> (<see cref="CodeSize"/> bytes).</summary>
    /// <exception cref="VectorDimensionException">The vector's length is not <see cref="Dimension"/>.</exception>
    /// <exception cref="InvalidVectorException">A component is NaN or infinite, the vector is zero under cosine, or the element type cannot hold it.</exception>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        if (vector.Length != Dimension)
        {
            throw new VectorDimensionException(Dimension, vector.Length);
        }

        if (code.Length < CodeSize)
        {
            throw new ArgumentException($"The code buffer holds {code.Length} bytes; this space writes {CodeSize}.", nameof(code));
        }

        double squares = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            float v = vector[i];
            if (!float.IsFinite(v))
            {
                ThrowNotFinite(i, v);
            }

            squares += (double)v * v;
        }

        if (Metric == VectorMetric.Cosine && squares == 0)
        {
            throw new InvalidVectorException("A zero vector has no direction, so the cosine metric cannot compare it; give a vector with a nonzero component.");
        }

        EncodeChecked(vector, code[..CodeSize], squares);
    }

    /// <summary>Decodes a code back to floats (exact for Float32 and raw integer types, approximate for the others).</summary>
    public abstract void Decode(ReadOnlySpan<byte> code, Span<float> vector);

    /// <summary>Distance between two codes of this space.</summary>
    public abstract float Distance(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b);

    /// <summary>Encodes a vector whose length and components were checked; <paramref name="squares"/> is its squared norm.</summary>
    private protected abstract void EncodeChecked(ReadOnlySpan<float> vector, Span<byte> code, double squares);

    /// <summary>Runs <paramref name="encode"/> on the unit vector in the direction of <paramref name="vector"/>.</summary>
    private protected static void WithUnit<TState>(ReadOnlySpan<float> vector, double squares, TState state, Span<byte> code, UnitEncoder<TState> encode)
    {
        float[]? rented = vector.Length > StackFloats ? ArrayPool<float>.Shared.Rent(vector.Length) : null;
        Span<float> unit = rented is null ? stackalloc float[vector.Length] : rented.AsSpan(0, vector.Length);
        float inverse = (float)(1 / Math.Sqrt(squares));
        for (int i = 0; i < vector.Length; i++)
        {
            unit[i] = vector[i] * inverse;
        }

        encode(unit, state, code);
        if (rented is not null)
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes an already normalised vector.</summary>
    private protected delegate void UnitEncoder<TState>(ReadOnlySpan<float> unit, TState state, Span<byte> code);

    [DoesNotReturn]
    private static void ThrowNotFinite(int index, float value) =>
        throw new InvalidVectorException($"Component {index} is {value}; vectors hold finite numbers only.");

    [DoesNotReturn]
    private protected static void ThrowOutOfRange(int index, float value, string type, string range, string instead) =>
        throw new InvalidVectorException($"Component {index} is {value}, which {type} cannot hold exactly ({range}); {instead}.");
}
