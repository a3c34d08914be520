namespace Store.Bench.Workloads;

/// <summary>
/// Picks loaded-key indexes in [0, count): uniformly, or scrambled zipfian (theta 0.99), where the
/// zipfian rank goes through a seeded random permutation so the hot keys are spread over the key space.
/// </summary>
internal sealed class KeyChooser
{
    public const double ZipfianTheta = 0.99;

    private readonly int _count;
    private readonly ZipfianGenerator? _zipfian;
    private readonly int[]? _rankToKey;

    private KeyChooser(int count, ZipfianGenerator? zipfian, int[]? rankToKey)
    {
        _count = count;
        _zipfian = zipfian;
        _rankToKey = rankToKey;
    }

    public static KeyChooser Create(KeyDistribution distribution, int count, int seed)
    {
        if (distribution == KeyDistribution.Uniform)
        {
            return new KeyChooser(count, null, null);
        }

        var rankToKey = new int[count];
        for (int i = 0; i < count; i++)
        {
            rankToKey[i] = i;
        }

        new Random(seed).Shuffle(rankToKey);
        return new KeyChooser(count, new ZipfianGenerator(count, ZipfianTheta), rankToKey);
    }

    public int Next(Random random) =>
        _zipfian is null ? random.Next(_count) : _rankToKey![_zipfian.Next(random.NextDouble())];
}
