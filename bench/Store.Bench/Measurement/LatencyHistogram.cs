using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Store.Bench.Measurement;

/// <summary>
/// Fixed-size log-linear histogram of <see cref="Stopwatch"/> tick counts: values below 64 have
/// their own bucket, above that every power of two is split into 32 buckets (under 3.2% relative
/// width), up to 2^63. One per worker thread, no allocation when recording; merged after the run.
/// </summary>
internal struct LatencyHistogram
{
    public const int BucketCount = (64 - SubBucketBits + 1) * SubBucketCount;

    private const int SubBucketBits = 5;
    private const int SubBucketCount = 1 << SubBucketBits;

    private Buckets _counts;
    private long _total;

    public readonly long Total => _total;

    public void Record(long ticks)
    {
        ulong value = ticks > 0 ? (ulong)ticks : 0;
        int shift = Math.Max(0, BitOperations.Log2(value) - SubBucketBits);
        _counts[(shift * SubBucketCount) + (int)(value >> shift)]++;
        _total++;
    }

    public void Add(ref readonly LatencyHistogram other)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        _total += other._total;
    }

    /// <summary>The value at quantile <paramref name="quantile"/> (0..1), in microseconds; NaN when empty.</summary>
    public readonly double QuantileMicroseconds(double quantile)
    {
        if (_total == 0)
        {
            return double.NaN;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(quantile * _total));
        long seen = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return BucketMidpoint(i) * 1e6 / Stopwatch.Frequency;
            }
        }

        return BucketMidpoint(BucketCount - 1) * 1e6 / Stopwatch.Frequency;
    }

    private static double BucketMidpoint(int bucket)
    {
        int shift = Math.Max(0, (bucket / SubBucketCount) - 1);
        double lower = (double)(bucket - (shift * SubBucketCount)) * Math.Pow(2, shift);
        return lower + ((Math.Pow(2, shift) - 1) / 2);
    }

    [InlineArray(BucketCount)]
    private struct Buckets
    {
        private long _element0;
    }
}
