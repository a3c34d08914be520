namespace Store.Bench.Suites.Ann;

/// <summary>
/// The clustered-1m data: a mixture of <see cref="Clusters"/> Gaussian clusters in
/// <see cref="Dimension"/> dimensions. Centres ~ N(0, I). Each cluster has a scale sigma ~ U[0.15, 0.45],
/// a weight exp(0.5 N(0,1)) (uneven sizes) and its own random ordering of the axes, along which its
/// standard deviation falls as sigma * (0.1 + exp(-rank/24)): a few strong directions, different per
/// cluster, over a noise floor, like real embeddings. Base rows and queries are independent draws
/// from the same mixture. Rows are generated in blocks, each with its own generator derived from the
/// seed, so the output depends only on the seed, not on the thread count.
/// </summary>
internal sealed class ClusteredGenerator
{
    public const int Dimension = 128;
    public const int Clusters = 1_000;

    /// <summary>Changes whenever the generated data would change: it is part of the cached files' names.</summary>
    public const int Version = 1;

    private const int BlockRows = 8_192;
    private const ulong ModelStream = 1;
    private const ulong BaseStream = 2;
    private const ulong QueryStream = 3;

    private readonly float[] _centres = new float[Clusters * Dimension];
    private readonly float[] _deviations = new float[Clusters * Dimension];
    private readonly double[] _cumulative = new double[Clusters];
    private readonly ulong _seed;

    public ClusteredGenerator(ulong seed)
    {
        _seed = seed;
        var random = new AnnRandom(seed, ModelStream, 0);
        var axes = new int[Dimension];
        double total = 0;
        for (int c = 0; c < Clusters; c++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                _centres[(c * Dimension) + j] = (float)random.NextGaussian();
            }

            double sigma = 0.15 + (0.30 * random.NextDouble());
            for (int j = 0; j < Dimension; j++)
            {
                axes[j] = j;
            }

            for (int j = Dimension - 1; j > 0; j--)
            {
                int other = random.NextBelow(j + 1);
                (axes[j], axes[other]) = (axes[other], axes[j]);
            }

            for (int rank = 0; rank < Dimension; rank++)
            {
                _deviations[(c * Dimension) + axes[rank]] = (float)(sigma * (0.1 + Math.Exp(-rank / 24.0)));
            }

            total += Math.Exp(0.5 * random.NextGaussian());
            _cumulative[c] = total;
        }

        for (int c = 0; c < Clusters; c++)
        {
            _cumulative[c] /= total;
        }
    }

    public float[] Base(int count) => Rows(count, BaseStream);

    public float[] Queries(int count) => Rows(count, QueryStream);

    private float[] Rows(int count, ulong stream)
    {
        var rows = new float[(long)count * Dimension];
        int blocks = (count + BlockRows - 1) / BlockRows;
        Parallel.For(0, blocks, block =>
        {
            var random = new AnnRandom(_seed, stream, (ulong)block);
            int end = Math.Min(count, (block + 1) * BlockRows);
            for (int row = block * BlockRows; row < end; row++)
            {
                int cluster = Array.BinarySearch(_cumulative, random.NextDouble());
                cluster = Math.Min(Clusters - 1, cluster < 0 ? ~cluster : cluster);
                var centre = _centres.AsSpan(cluster * Dimension, Dimension);
                var deviation = _deviations.AsSpan(cluster * Dimension, Dimension);
                var target = rows.AsSpan(row * Dimension, Dimension);
                for (int j = 0; j < Dimension; j++)
                {
                    target[j] = centre[j] + (float)(deviation[j] * random.NextGaussian());
                }
            }
        });
        return rows;
    }
}
