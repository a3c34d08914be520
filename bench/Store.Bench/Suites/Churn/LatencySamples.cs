using System.Globalization;

namespace Store.Bench.Suites.Churn;

/// <summary>Latencies of one kind of call (milliseconds), with percentiles over all or since a mark. Thread-safe.</summary>
internal sealed class LatencySamples
{
    private readonly List<double> _all = [];
    private int _mark;

    public int Count
    {
        get
        {
            lock (_all)
            {
                return _all.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_all)
        {
            _all.Add(milliseconds);
        }
    }

    /// <summary>The p-th percentile (0..100) of every sample, or NaN if none.</summary>
    public double Percentile(double p)
    {
        lock (_all)
        {
            return Percentile(_all, p);
        }
    }

    /// <summary>The p-th percentile of the samples since the last <see cref="Mark"/>.</summary>
    public double PercentileSinceMark(double p)
    {
        lock (_all)
        {
            return Percentile(_all.Skip(_mark).ToList(), p);
        }
    }

    public void Mark()
    {
        lock (_all)
        {
            _mark = _all.Count;
        }
    }

    public static string Format(double ms) => double.IsNaN(ms) ? "-" : ms.ToString("0.000", CultureInfo.InvariantCulture);

    private static double Percentile(List<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.ToArray();
        Array.Sort(sorted);
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
