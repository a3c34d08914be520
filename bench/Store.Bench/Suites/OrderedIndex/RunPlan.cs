using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// The cells of a sweep, in run order per peer. Full: for 8- and 24-byte keys, Load at every thread
/// count, then A, B, C, E under uniform and zipfian keys at every thread count (Load inserts each key
/// once, in random order, so it has no key distribution and is listed as uniform). Quick: 8-byte
/// keys only, Load/B/E uniform, A/C uniform and zipfian, plus C uniform with 24-byte keys at the most threads.
/// </summary>
internal static class RunPlan
{
    public static IReadOnlyList<BenchCell> Build(bool quick, IReadOnlyList<int> threads)
    {
        var cells = new List<BenchCell>();
        int most = threads.Max();
        if (quick)
        {
            AddSweep(cells, Workload.Load, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.A, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.B, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.C, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.A, KeyDistribution.Zipfian, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.C, KeyDistribution.Zipfian, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.E, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads);
            AddSweep(cells, Workload.C, KeyDistribution.Uniform, KeyEncoding.LongKeyBytes, [most]);
            return cells;
        }

        foreach (int keyBytes in (int[])[KeyEncoding.ShortKeyBytes, KeyEncoding.LongKeyBytes])
        {
            AddSweep(cells, Workload.Load, KeyDistribution.Uniform, keyBytes, threads);
            foreach (var distribution in (KeyDistribution[])[KeyDistribution.Uniform, KeyDistribution.Zipfian])
            {
                foreach (var workload in (Workload[])[Workload.A, Workload.B, Workload.C, Workload.E])
                {
                    AddSweep(cells, workload, distribution, keyBytes, threads);
                }
            }
        }

        return cells;
    }

    private static void AddSweep(List<BenchCell> cells, Workload workload, KeyDistribution distribution, int keyBytes, IReadOnlyList<int> threads)
    {
        foreach (int t in threads)
        {
            cells.Add(new BenchCell(workload, distribution, keyBytes, t));
        }
    }
}
