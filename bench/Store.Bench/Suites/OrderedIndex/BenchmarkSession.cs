using Store.Bench.Measurement;
using Store.Bench.Peers;
using Store.Bench.Reporting;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// Runs the plan for every peer in turn (all key material and operation streams are generated when
/// the session is created). Per key size: the footprint load (8-byte keys) or an untimed load, a
/// code warm-up of every operation mix on that structure, the Load cells (a fresh structure per run),
/// then the read/update/scan cells on the last loaded structure (or the warm-up structure when there
/// is no Load cell), each after a warm-up run. Inserts of workload E are removed after each run, so
/// every run sees the same N keys. Structures are dropped and collected between key sizes and peers.
/// A peer that throws is reported and its remaining cells are skipped.
/// </summary>
internal sealed class BenchmarkSession(SuiteSettings settings, IReadOnlyList<PeerDescriptor> peers, IReadOnlyList<BenchCell> plan, ResultLog log)
{
    private readonly ResultTable _table = new(log);
    private readonly ResultBook _book = new();
    private readonly int _maxThreads = plan.Max(c => c.Threads);
    private readonly WorkloadMaterial _material =
        new(settings.Keys, plan.Max(c => c.Threads), plan.Select(c => (c.Workload, c.Distribution, c.KeyBytes)));

    /// <summary>Returns 0 if every peer ran, 1 if one failed.</summary>
    public int Run()
    {
        _table.WriteHeader();
        int failures = 0;
        foreach (var peer in peers)
        {
            try
            {
                foreach (int keyBytes in _material.KeySizes)
                {
                    RunKeySize(peer, keyBytes);
                }
            }
            catch (Exception e) when (e is not (OutOfMemoryException or StuckWorkersException))
            {
                failures++;
                var cause = e is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : e;
                log.Line($"# {peer.Name} failed, rest of its cells skipped: {cause.GetType().Name}: {cause.Message}");
            }

            GC.Collect();
        }

        ResultSummary.Write(log, _book, peers, settings.Keys, _maxThreads);
        return failures == 0 ? 0 : 1;
    }

    private void RunKeySize(PeerDescriptor peer, int keyBytes)
    {
        var keys = _material.Keys(keyBytes);
        var cells = plan.Where(c => c.KeyBytes == keyBytes).ToList();
        IIndexDriver? loaded;
        if (keyBytes == KeyEncoding.ShortKeyBytes)
        {
            (double bytes, loaded) = MemoryFootprint.Measure(peer, keys);
            _book.AddBytesPerEntry(peer.Name, bytes);
        }
        else
        {
            loaded = peer.Create();
            loaded.Load(keys, _maxThreads);
            LoadCheck.ExpectCount(loaded, keys.Count, "after the untimed load");
        }

        WarmUpCodePaths(peer, loaded, cells, keys);
        foreach (var cell in cells.Where(c => c.Workload.IsLoad))
        {
            var runs = new List<PhaseMeasurement>();
            for (int run = 0; run < settings.Runs; run++)
            {
                loaded = null;
                var driver = peer.Create();
                runs.Add(driver.Load(keys, cell.Threads));
                LoadCheck.ExpectCount(driver, keys.Count, "after Load");
                loaded = driver;
            }

            Report(peer, cell, runs);
        }

        foreach (var cell in cells.Where(c => !c.Workload.IsLoad))
        {
            if (cell.Workload.NeedsScan && !peer.SupportsScan)
            {
                _table.WriteNotApplicable(peer.Structure, cell);
                continue;
            }

            Measure(loaded, cell, keys, 0, settings.WarmUp);
            var runs = new List<PhaseMeasurement>();
            for (int run = 1; run <= settings.Runs; run++)
            {
                runs.Add(Measure(loaded, cell, keys, run, settings.Duration));
            }

            Report(peer, cell, runs);
        }

        loaded = null;
        GC.Collect();
    }

    /// <summary>
    /// Before anything of a key size is measured, runs every (workload, distribution) of its cells at
    /// the most threads on an already loaded structure, for <see cref="SuiteSettings.CodeWarmUp"/> in
    /// all, so the structure's code has gone through tiered compilation before the first measured run.
    /// </summary>
    private void WarmUpCodePaths(PeerDescriptor peer, IIndexDriver loaded, List<BenchCell> cells, KeySet keys)
    {
        var mixes = cells
            .Where(c => !c.Workload.IsLoad && (peer.SupportsScan || !c.Workload.NeedsScan))
            .Select(c => c with { Threads = _maxThreads })
            .Distinct()
            .ToList();
        foreach (var mix in mixes)
        {
            Measure(loaded, mix, keys, 0, settings.CodeWarmUp / mixes.Count);
        }
    }

    /// <summary>One run of a cell; run 0 is a warm-up. Fresh keys inserted by E are removed afterwards.</summary>
    private PhaseMeasurement Measure(IIndexDriver driver, BenchCell cell, KeySet keys, int run, TimeSpan duration)
    {
        var workers = _material.Workers(cell.Workload, cell.Distribution, cell.KeyBytes, cell.Threads, run);
        var measurement = driver.Run(workers, duration);
        if (cell.Workload.InsertsFreshKeys)
        {
            WorkloadMaterial.RemoveInserted(driver, workers);
            LoadCheck.ExpectCount(driver, keys.Count, $"after removing the keys {cell.Workload.Name} inserted");
        }

        return measurement;
    }

    private void Report(PeerDescriptor peer, BenchCell cell, List<PhaseMeasurement> runs)
    {
        var median = runs.OrderBy(m => m.Mops).ElementAt((runs.Count - 1) / 2);
        _book.Add(peer.Name, cell, median);
        _table.Write(peer.Structure, cell, median);
        if (runs.Any(m => m.FreshExhausted))
        {
            log.Line($"# note: {peer.Structure} {cell.Workload.Name}: a worker used up its fresh keys; later inserts of it were duplicates");
        }
    }
}
