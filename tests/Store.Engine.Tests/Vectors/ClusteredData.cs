namespace Store.Tests.Vectors;

/// <summary>
/// Deterministic clustered test vectors: Gaussian blobs around random centres, plus queries drawn the
/// same way, and exact nearest neighbours by brute force (the reference every recall floor is against).
/// </summary>
internal sealed class ClusteredData
{
    public ClusteredData(int count, int queries, int dimension, int clusters, int seed, bool wholeNumbers = false)
    {
        Dimension = dimension;
        var rng = new Random(seed);
        var centres = new float[clusters * dimension];
        for (int i = 0; i < centres.Length; i++)
        {
            centres[i] = wholeNumbers ? rng.Next(40, 216) : (float)(rng.NextDouble() * 20 - 10);
        }

        Base = Draw(rng, count, centres, clusters, wholeNumbers);
        Queries = Draw(rng, queries, centres, clusters, wholeNumbers);
    }

    public int Dimension { get; }

    public float[] Base { get; }

    public float[] Queries { get; }

    public int Count => Base.Length / Dimension;

    public int QueryCount => Queries.Length / Dimension;

    public ReadOnlySpan<float> Vector(int i) => Base.AsSpan(i * Dimension, Dimension);

    public ReadOnlySpan<float> Query(int i) => Queries.AsSpan(i * Dimension, Dimension);

    /// <summary>Exact k nearest base ids (squared L2) of every query, skipping ids in <paramref name="removed"/>.</summary>
    public int[][] Truth(int k, ISet<int>? removed = null)
    {
        var truth = new int[QueryCount][];
        Parallel.For(0, QueryCount, q =>
        {
            ReadOnlySpan<float> query = Query(q);
            var best = new List<(double Distance, int Id)>(Count);
            for (int i = 0; i < Count; i++)
            {
                if (removed?.Contains(i) == true)
                {
                    continue;
                }

                ReadOnlySpan<float> v = Vector(i);
                double d = 0;
                for (int j = 0; j < Dimension; j++)
                {
                    double diff = query[j] - v[j];
                    d += diff * diff;
                }

                best.Add((d, i));
            }

            truth[q] = [.. best.OrderBy(b => b.Distance).ThenBy(b => b.Id).Take(k).Select(b => b.Id)];
        });
        return truth;
    }

    /// <summary>Mean share of each query's true top k that the results hold.</summary>
    public static double Recall(int[][] truth, IReadOnlyList<IReadOnlyList<long>> results, int k)
    {
        double hits = 0;
        for (int q = 0; q < truth.Length; q++)
        {
            var expected = truth[q].Take(k).Select(i => (long)i).ToHashSet();
            hits += results[q].Take(k).Count(expected.Contains);
        }

        return hits / (truth.Length * (double)k);
    }

    private float[] Draw(Random rng, int count, float[] centres, int clusters, bool wholeNumbers)
    {
        var data = new float[count * Dimension];
        for (int i = 0; i < count; i++)
        {
            int c = rng.Next(clusters);
            for (int j = 0; j < Dimension; j++)
            {
                double gaussian = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                float v = (float)(centres[(c * Dimension) + j] + (gaussian * (wholeNumbers ? 12 : 1.5)));
                data[(i * Dimension) + j] = wholeNumbers ? Math.Clamp(MathF.Round(v), 0, 255) : v;
            }
        }

        return data;
    }
}
