namespace Store.Bench.Suites.Ann;

/// <summary>
/// A data set of the ann suite, in memory: the base vectors (row-major float32; row number = id), the
/// queries used by this run and their ground truth (ids of the exact nearest neighbours, nearest
/// first). <see cref="IntegerValued"/> data (fashion-mnist pixels) is stored exactly as uint8.
/// The peers read the same vectors from <see cref="BaseFile"/> and <see cref="QueryFile"/>.
/// </summary>
internal sealed class AnnDataset(
    string name,
    int dimension,
    float[] baseVectors,
    float[][] queries,
    GroundTruth truth,
    bool integerValued,
    string baseFile,
    string queryFile,
    string truthFile)
{
    public string Name { get; } = name;

    public int Dimension { get; } = dimension;

    public int Count { get; } = baseVectors.Length / dimension;

    public IReadOnlyList<float[]> Queries { get; } = queries;

    public GroundTruth Truth { get; } = truth;

    public bool IntegerValued { get; } = integerValued;

    public string BaseFile { get; } = baseFile;

    public string QueryFile { get; } = queryFile;

    public string TruthFile { get; } = truthFile;

    /// <summary>Bytes of the base as raw float32 (the denominator of the memory fraction).</summary>
    public long RawFloatBytes => (long)Count * Dimension * sizeof(float);

    public ReadOnlySpan<float> Vector(int id) => baseVectors.AsSpan(id * Dimension, Dimension);

    /// <summary>All base vectors, row-major.</summary>
    public ReadOnlySpan<float> Vectors => baseVectors;

    /// <summary>Squared L2 distance of query <paramref name="query"/> to base vector <paramref name="id"/>, accumulated in double.</summary>
    public double Distance(int query, long id)
    {
        var q = Queries[query].AsSpan();
        var v = Vector((int)id);
        double sum = 0;
        for (int i = 0; i < q.Length; i++)
        {
            double d = (double)q[i] - v[i];
            sum += d * d;
        }

        return sum;
    }
}
