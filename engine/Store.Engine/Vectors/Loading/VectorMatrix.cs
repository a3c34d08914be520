namespace Store.Vectors;

/// <summary>
/// Row-major vectors read from a file: <see cref="Count"/> rows of <see cref="Dimension"/> floats
/// (bytes and ints are converted exactly).
/// </summary>
public sealed class VectorMatrix
{
    /// <summary>Wraps <paramref name="data"/> (not copied) as <paramref name="count"/> rows of <paramref name="dimension"/> floats.</summary>
    /// <param name="count">Rows, 0 or more.</param>
    /// <param name="dimension">Floats per row: 1 to <see cref="VectorSpace.MaxDimension"/>, or 0 when there are no rows (an empty file has no dimension).</param>
    /// <param name="data">The rows one after another; exactly <paramref name="count"/> x <paramref name="dimension"/> floats.</param>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count or dimension is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="data"/> does not hold count x dimension floats.</exception>
    public VectorMatrix(int count, int dimension, float[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (dimension is < 0 or > VectorSpace.MaxDimension || (dimension == 0 && count > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension,
                $"A dimension is 1 to {VectorSpace.MaxDimension} (0 only for a matrix of no rows).");
        }

        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != (long)count * dimension)
        {
            throw new ArgumentException(
                $"{count} rows of dimension {dimension} are {(long)count * dimension} floats; the array holds {data.Length}.", nameof(data));
        }

        Count = count;
        Dimension = dimension;
        Data = data;
    }

    /// <summary>Rows (vectors).</summary>
    public int Count { get; }

    /// <summary>Floats per row; 0 only when there are no rows.</summary>
    public int Dimension { get; }

    /// <summary>The rows one after another (row-major): row i is <c>Data[i * Dimension .. (i + 1) * Dimension]</c>. Not a copy.</summary>
    public float[] Data { get; }

    /// <summary>Row <paramref name="i"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="i"/> is not 0 to <see cref="Count"/> - 1.</exception>
    public ReadOnlySpan<float> Row(int i)
    {
        if ((uint)i >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(i), i, $"A row index is 0 to {Count - 1}.");
        }

        return Data.AsSpan(i * Dimension, Dimension);
    }

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> - 1, one after another.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside 0 to <see cref="Count"/>.</exception>
    public ReadOnlySpan<float> Rows(int start, int count)
    {
        if ((uint)start > (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(start), start, $"The first row is 0 to {Count}.");
        }

        if ((uint)count > (uint)(Count - start))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"Rows from {start} on number {Count - start} (the matrix has {Count}); a count is 0 to {Count - start}.");
        }

        return Data.AsSpan(start * Dimension, count * Dimension);
    }
}
