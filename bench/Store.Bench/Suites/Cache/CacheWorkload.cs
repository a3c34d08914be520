namespace Store.Bench.Suites.Cache;

/// <summary>
/// One category of the generated workload. Vectors come in paraphrase clusters: a cluster centre
/// lies at cosine <see cref="TopicCosine"/> from one of a few topic vectors (so centres of one topic
/// sit about TopicCosine² apart: dense categories crowd them), and each member (stored entry or
/// query) lies at cosine <see cref="MemberCosine"/> from its centre (two paraphrases: about
/// MemberCosine² apart). Which cluster an entry or query belongs to follows Zipf(<see cref="Zipf"/>)
/// (0 = uniform: no repetition skew); <see cref="Novel"/> of the queries come from clusters never stored.
/// </summary>
internal sealed record CacheCategory(string Name, double Share, int MembersPerCluster, double TopicCosine, double MemberCosine, double Zipf, double Novel);

/// <summary>Seeded generator of the suite's entries and queries; a vector is a pure function of (category, cluster, member draw).</summary>
internal sealed class CacheWorkload
{
    public static IReadOnlyList<CacheCategory> Categories { get; } =
    [
        new("code", 0.30, 8, 0.96, 0.985, 1.0, 0.2),
        new("chat", 0.25, 2, 0.60, 0.92, 0.0, 0.5),
        new("finance", 0.10, 4, 0.90, 0.96, 0.8, 0.3),
        new("health", 0.15, 3, 0.93, 0.975, 0.6, 0.3),
        new("docs", 0.20, 5, 0.80, 0.95, 0.9, 0.3),
    ];

    private const int ClustersPerTopic = 20;

    private readonly int _dimension;
    private readonly int _seed;
    private readonly float[][][] _topics;
    private readonly double[][] _cdf;

    public CacheWorkload(int entries, int dimension, int seed)
    {
        _dimension = dimension;
        _seed = seed;
        EntryCounts = [.. Categories.Select(c => (int)(entries * c.Share))];
        ClusterCounts = [.. Categories.Select((c, i) => Math.Max(1, EntryCounts[i] / c.MembersPerCluster))];
        _topics = new float[Categories.Count][][];
        _cdf = new double[Categories.Count][];
        for (int c = 0; c < Categories.Count; c++)
        {
            var random = new Random(Hash(seed, c, -1, -1));
            _topics[c] = [.. Enumerable.Range(0, (ClusterCounts[c] / ClustersPerTopic) + 1).Select(_ => RandomUnit(random))];
            _cdf[c] = Cdf(ClusterCounts[c], Categories[c].Zipf);
        }
    }

    public int[] EntryCounts { get; }

    public int[] ClusterCounts { get; }

    /// <summary>The cluster of a stored entry (drawn from the category's repetition distribution).</summary>
    public int EntryCluster(int category, int index) => Draw(category, new Random(Hash(_seed, category, index, 1)));

    /// <summary>A query: its cluster (at or above <see cref="ClusterCounts"/> for a novel one) and vector.</summary>
    public (int Cluster, float[] Vector) Query(int category, int index, int set)
    {
        var random = new Random(Hash(_seed, category, index, 10 + set));
        int cluster = random.NextDouble() < Categories[category].Novel ? ClusterCounts[category] + random.Next(1 << 20) : Draw(category, random);
        return (cluster, Member(category, cluster, Hash(_seed, category, index, 20 + set)));
    }

    /// <summary>A paraphrase of a cluster: its centre moved to cosine MemberCosine along a random direction.</summary>
    public float[] Member(int category, int cluster, int draw)
    {
        CacheCategory c = Categories[category];
        float[] topic = _topics[category][(cluster / ClustersPerTopic) % _topics[category].Length];
        float[] centre = Towards(topic, c.TopicCosine, new Random(Hash(_seed, category, cluster, 2)));
        return Towards(centre, c.MemberCosine, new Random(draw));
    }

    /// <summary>A seed from four numbers (SplitMix64 finaliser), stable across runs and processes.</summary>
    public static int Hash(int seed, int a, int b, int c)
    {
        ulong z = ((ulong)(uint)seed << 32) ^ ((ulong)(uint)a * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)b * 0xC2B2AE3D27D4EB4FUL) ^ ((ulong)(uint)c * 0x165667B19E3779F9UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    private int Draw(int category, Random random)
    {
        int at = Array.BinarySearch(_cdf[category], random.NextDouble());
        return Math.Min(at < 0 ? ~at : at, ClusterCounts[category] - 1);
    }

    private float[] Towards(float[] unit, double cosine, Random random)
    {
        float[] r = RandomUnit(random);
        double dot = 0;
        for (int i = 0; i < r.Length; i++)
        {
            dot += r[i] * unit[i];
        }

        double norm = 0;
        for (int i = 0; i < r.Length; i++)
        {
            r[i] -= (float)(dot * unit[i]);
            norm += r[i] * (double)r[i];
        }

        double side = Math.Sqrt(1 - (cosine * cosine)) / Math.Sqrt(norm);
        for (int i = 0; i < r.Length; i++)
        {
            r[i] = (float)((cosine * unit[i]) + (side * r[i]));
        }

        return r;
    }

    private float[] RandomUnit(Random random)
    {
        var v = new float[_dimension];
        double norm = 0;
        for (int i = 0; i < v.Length; i += 2)
        {
            // Box-Muller: two standard normals per pair of uniforms.
            double u1 = 1 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            v[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < v.Length)
            {
                v[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }

        foreach (float x in v)
        {
            norm += x * (double)x;
        }

        float inverse = (float)(1 / Math.Sqrt(norm));
        for (int i = 0; i < v.Length; i++)
        {
            v[i] *= inverse;
        }

        return v;
    }

    private static double[] Cdf(int clusters, double zipf)
    {
        var cdf = new double[clusters];
        double sum = 0;
        for (int k = 0; k < clusters; k++)
        {
            sum += zipf == 0 ? 1 : 1 / Math.Pow(k + 1, zipf);
            cdf[k] = sum;
        }

        for (int k = 0; k < clusters; k++)
        {
            cdf[k] /= sum;
        }

        return cdf;
    }
}
