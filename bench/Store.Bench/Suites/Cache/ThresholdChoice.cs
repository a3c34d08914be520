namespace Store.Bench.Suites.Cache;

/// <summary>
/// Thresholds chosen on the calibration set from each query's nearest entry (similarity and whether
/// it is of the query's cluster). A threshold t answers a query iff its nearest entry has similarity
/// at least t (what the cache does when nothing is expired); hit rate = answered / lookups, false-hit
/// rate = answered wrongly / lookups.
/// </summary>
internal static class ThresholdChoice
{
    public const double Low = 0.50;
    public const double Step = 0.001;

    /// <summary>
    /// Per category, matched to a hit rate: the thresholds with the lowest overall false-hit rate whose
    /// overall hit rate is at least <paramref name="minimumHitRate"/>. Found as a Lagrangian sweep: for
    /// a price lambda of a false hit, each category takes the threshold maximising hits - lambda * false
    /// hits; of the lambdas that keep the hit rate, the one with the fewest false hits wins.
    /// </summary>
    public static double[] PerCategory(IReadOnlyList<IReadOnlyList<Nearest>> calibration, double minimumHitRate)
    {
        double[] best = [.. calibration.Select(_ => 1.0)];
        double bestFalse = double.MaxValue;
        double bestHits = -1;
        for (double lambda = 0.5; lambda <= 2000; lambda *= 1.1)
        {
            double[] thresholds = [.. calibration.Select(q => Priced(q, lambda))];
            double hits = 0;
            double wrong = 0;
            for (int c = 0; c < calibration.Count; c++)
            {
                (double h, double f) = Rates(calibration[c], thresholds[c]);
                hits += h / calibration.Count;
                wrong += f / calibration.Count;
            }

            bool keeps = hits >= minimumHitRate - 1e-12;
            bool bestKeeps = bestHits >= minimumHitRate - 1e-12;
            if ((keeps && (!bestKeeps || wrong < bestFalse)) || (!keeps && !bestKeeps && hits > bestHits))
            {
                best = thresholds;
                bestFalse = wrong;
                bestHits = hits;
            }
        }

        return best;
    }

    /// <summary>The threshold maximising hits - lambda * false hits on one category's calibration queries.</summary>
    private static double Priced(IReadOnlyList<Nearest> queries, double lambda)
    {
        double best = 1.0;
        double bestValue = double.MinValue;
        for (double t = Low; t <= 1.0 + 1e-9; t += Step)
        {
            (double h, double f) = Rates(queries, t);
            double value = (h - f) - (lambda * f);
            if (value > bestValue + 1e-12)
            {
                best = Math.Round(t, 3);
                bestValue = value;
            }
        }

        return best;
    }

    /// <summary>One threshold for all: the one with the highest overall hit rate whose overall false-hit rate is within the budget.</summary>
    public static double Uniform(IReadOnlyList<IReadOnlyList<Nearest>> calibration, double budget)
    {
        double best = 1.0;
        double bestHits = -1;
        for (double t = Low; t <= 1.0 + 1e-9; t += Step)
        {
            (double hits, double falseHits) = Overall(calibration, t);
            if (falseHits <= budget && hits > bestHits)
            {
                best = Math.Round(t, 3);
                bestHits = hits;
            }
        }

        return best;
    }

    public static (double HitRate, double FalseHitRate) Rates(IReadOnlyList<Nearest> queries, double threshold)
    {
        int hits = 0;
        int wrong = 0;
        foreach (Nearest q in queries)
        {
            if (q.Similarity >= threshold)
            {
                hits++;
                wrong += q.SameCluster ? 0 : 1;
            }
        }

        return (hits / (double)queries.Count, wrong / (double)queries.Count);
    }

    /// <summary>Overall rates (categories weighted equally) of one threshold for all.</summary>
    public static (double HitRate, double FalseHitRate) Overall(IReadOnlyList<IReadOnlyList<Nearest>> categories, double threshold)
    {
        double hits = 0;
        double wrong = 0;
        foreach (IReadOnlyList<Nearest> queries in categories)
        {
            (double h, double f) = Rates(queries, threshold);
            hits += h;
            wrong += f;
        }

        return (hits / categories.Count, wrong / categories.Count);
    }
}

/// <summary>A query's nearest live entry: its similarity and whether it is of the query's cluster.</summary>
internal readonly record struct Nearest(double Similarity, bool SameCluster);
