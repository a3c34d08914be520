using System.Globalization;
using Store.Bench.Peers.Ann;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// <c>ann --dataset clustered-1m</c>: 1M generated 128-d vectors (cached per seed, with their exact
/// ground truth), hnswlib (M=16, efC=200, ef sweep) and the in-process subjects (Store's HNSW and SPANN
/// collections, or the exact harness check) on recall@10, QPS per thread and memory. Result: Store's RSS
/// growth over hnswlib's index RSS growth, taken where each reaches recall@10 &gt;= 0.90 (for Store, the
/// collection with the smallest RSS growth among those that reach it), and Store's recall there.
/// </summary>
internal sealed class Clustered1mRun(AnnSettings settings, ResultLog log, TextWriter console)
{
    public const double RecallBar = 0.90;

    public int Run()
    {
        var paths = AnnPeerPaths.Resolve(settings.SharedPeers);
        bool hnswlib = settings.Peers.Contains(AnnSettings.HnswlibPeer);
        if (hnswlib && AnnPrerequisites.Ensure(paths, needSptag: false, needFashionMnist: false, settings.AllowInstall, log.Line) is { } problem)
        {
            log.Line($"# ann: cannot run: {problem}");
            return 1;
        }

        var data = ClusteredData.Load(settings.DataDirectory, settings.Seed, settings.QueryCount, log.Line);
        var book = new AnnResultBook();
        var report = new AnnReport(log);
        if (hnswlib)
        {
            HnswlibPeerRun.Run(paths, data, settings.WorkDirectory, book, log.Line);
        }

        log.Line("");
        log.Line($"recall@10 and speed ({data.Queries.Count} queries; after an untimed warm-up pass; QPS 1T/2T: one/two query threads; " +
            "p50/p99: per-query latency with one thread; peers: as they report):");
        var subjects = AnnSubjects.Create(settings);
        int failures = new AnnSubjectRun(log, report, book, console).RunAll(subjects, data, settings.WorkDirectory);
        Summarize(subjects, book);
        return failures == 0 ? 0 : 1;
    }

    private void Summarize(IReadOnlyList<IAnnSubject> subjects, AnnResultBook book)
    {
        var ours = subjects.Where(s => s.IsStore).ToList();
        bool standIn = ours.Count == 0;
        if (standIn)
        {
            ours = [.. subjects.Take(1)];
        }

        if (ours.Count == 0)
        {
            return;
        }

        var verdicts = new AnnVerdicts(log, standIn ? "ann.c1m.exact_check" : "ann.c1m");
        log.Line("");
        if (standIn)
        {
            log.Line($"# NOTE: Store is not compiled in; '{ours[0].Name}' stands in for it to check the harness. Its figures are NOT Store's " +
                $"and go under {verdicts.Prefix}.*");
        }

        log.Line($"# at recall@10 >= {RecallBar}: the fastest (1-thread QPS) sweep setting that reaches it; RSS growth is per system (after its whole sweep)");
        var theirs = book.FastestAtRecall(HnswlibPeerRun.Name, RecallBar);
        long? theirRss = book.Figures(HnswlibPeerRun.Name)?.RssGrowthBytes;
        Describe(HnswlibPeerRun.Name, theirs, theirRss, book);
        var candidates = new List<(AnnPoint Point, long Rss)>();
        foreach (var subject in ours)
        {
            var point = book.FastestAtRecall(subject.Name, RecallBar);
            long? rss = book.Figures(subject.Name)?.RssGrowthBytes;
            Describe(subject.Name, point, rss, book);
            if (point is not null && rss is { } r)
            {
                candidates.Add((point, r));
            }
        }

        var chosen = candidates.Count > 0 ? candidates.MinBy(c => c.Rss) : default;
        string? why = chosen.Point is null ? $"no Store collection reaches recall@10 {RecallBar} with its memory measured"
            : theirs is null || theirRss is null ? $"hnswlib did not reach recall@10 {RecallBar} or its memory was not measured"
            : null;
        if (chosen.Point is not null)
        {
            log.Line($"# compared: {chosen.Point.System} (smallest RSS growth among the {(standIn ? "subjects" : "Store collections")} reaching {RecallBar})");
        }

        verdicts.Emit("rss_vs_hnswlib", why is null ? (double)chosen.Rss / theirRss!.Value : null, "0.###", why);
        verdicts.Emit("recall10", chosen.Point?.Recall, "0.####", chosen.Point is null ? why : null);
    }

    private void Describe(string system, AnnPoint? point, long? rss, AnnResultBook book)
    {
        string memory = rss is { } r ? (r / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB RSS growth" : "RSS growth not measured";
        var best = book.BestRecall(system);
        log.Line(point is not null
            ? string.Create(CultureInfo.InvariantCulture, $"# {system}: {point.Setting}, recall {point.Recall:0.0000}, {point.Qps1:0} QPS/thread; {memory}")
            : best is null
                ? $"# {system}: no measurements"
                : string.Create(CultureInfo.InvariantCulture, $"# {system}: never reaches recall@10 {RecallBar} (best {best.Recall:0.0000} at {best.Setting}); {memory}"));
    }
}
