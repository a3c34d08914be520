namespace Store.Bench.Workloads;

/// <summary>
/// Zipfian ranks over [0, items) with skew theta (YCSB's generator, after Gray et al., "Quickly
/// generating billion-record synthetic databases", SIGMOD 1994): rank 0 is the most popular.
/// </summary>
internal sealed class ZipfianGenerator
{
    private readonly long _items;
    private readonly double _theta;
    private readonly double _zetaN;
    private readonly double _alpha;
    private readonly double _eta;
    private readonly double _secondThreshold;

    public ZipfianGenerator(long items, double theta)
    {
        if (items < 2 || theta is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(items), "need at least 2 items and 0 < theta < 1");
        }

        _items = items;
        _theta = theta;
        _zetaN = Zeta(items, theta);
        double zeta2 = Zeta(2, theta);
        _alpha = 1 / (1 - theta);
        _eta = (1 - Math.Pow(2.0 / items, 1 - theta)) / (1 - (zeta2 / _zetaN));
        _secondThreshold = 1 + Math.Pow(0.5, theta);
    }

    /// <summary>The rank for a uniform sample <paramref name="u"/> in [0, 1).</summary>
    public long Next(double u)
    {
        double uz = u * _zetaN;
        if (uz < 1)
        {
            return 0;
        }

        if (uz < _secondThreshold)
        {
            return 1;
        }

        long rank = (long)(_items * Math.Pow((_eta * u) - _eta + 1, _alpha));
        return Math.Min(rank, _items - 1);
    }

    public override string ToString() => $"zipfian(n={_items}, theta={_theta})";

    private static double Zeta(long n, double theta)
    {
        double sum = 0;
        for (long i = 1; i <= n; i++)
        {
            sum += 1 / Math.Pow(i, theta);
        }

        return sum;
    }
}
