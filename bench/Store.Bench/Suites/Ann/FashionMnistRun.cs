using System.Globalization;
using Store.Bench.Peers.Ann;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// <c>ann --dataset fashion-mnist</c>: the data and peers prepared, SPTAG's SPANN (uint8) and hnswlib
/// run, then the in-process subjects (Store's SPANN collection, or the exact harness check); the table,
/// then the result lines: Store against SPTAG at recall@10 &gt;= 0.95, Store's memory as a fraction of
/// the raw float32 base, its best recall, its build time against SPTAG's; and the targets.
/// </summary>
internal sealed class FashionMnistRun(AnnSettings settings, ResultLog log, TextWriter console)
{
    public const double RecallBar = 0.95;

    public int Run()
    {
        var paths = AnnPeerPaths.Resolve(settings.SharedPeers);
        bool sptag = settings.Peers.Contains(AnnSettings.SptagPeer);
        if (AnnPrerequisites.Ensure(paths, sptag, needFashionMnist: true, settings.AllowInstall, log.Line) is { } problem)
        {
            log.Line($"# ann: cannot run: {problem}");
            return 1;
        }

        AnnMounts.WarnIfTmpfs(settings.DataDirectory, log.Line);
        var data = FashionMnistData.Load(paths, settings.DataDirectory, settings.QueryCount, log.Line);
        var book = new AnnResultBook();
        var report = new AnnReport(log);
        var build = sptag ? SptagPeerRun.Run(paths, settings, data.Queries.Count, book, log.Line) : null;
        if (settings.Peers.Contains(AnnSettings.HnswlibPeer))
        {
            HnswlibPeerRun.Run(paths, data, settings.WorkDirectory, book, log.Line);
        }

        log.Line("");
        log.Line($"recall@10 and speed ({data.Queries.Count} queries unless noted; after an untimed warm-up pass; QPS 1T/2T: one/two query threads; " +
            "p50/p99: per-query latency with one thread; peers: as they report):");
        var subjects = AnnSubjects.Create(settings);
        int failures = new AnnSubjectRun(log, report, book, console).RunAll(subjects, data, settings.WorkDirectory);
        var standIn = subjects.FirstOrDefault(s => s.IsStore) ?? subjects.FirstOrDefault();
        if (standIn is not null)
        {
            Summarize(standIn, data, book, build);
        }

        return failures == 0 ? 0 : 1;
    }

    private void Summarize(IAnnSubject subject, AnnDataset data, AnnResultBook book, Peers.Ann.SptagBuild? sptagBuild)
    {
        const string Prefix = "ann.fmnist";
        var verdicts = new AnnVerdicts(log, subject.IsStore ? Prefix : Prefix + ".exact_check");
        log.Line("");
        if (!subject.IsStore)
        {
            log.Line($"# NOTE: Store is not compiled in; '{subject.Name}' stands in for it to check the harness. Its figures are NOT Store's: " +
                $"they are reported under {verdicts.Prefix}.* and compared with the targets only to exercise this code.");
        }

        log.Line($"# \"QPS at recall@10 >= {RecallBar}\" = the highest 1-thread QPS among the sweep settings whose recall@10 >= {RecallBar}");
        var ours = AtBar(subject.Name, book);
        var theirs = AtBar(SptagPeerRun.Name, book);
        AtBar(HnswlibPeerRun.Name, book);
        double? ratio = ours is not null && theirs is not null ? ours.Qps1 / theirs.Qps1 : null;
        string? whyNoRatio = ratio is null
            ? string.Join(" and ", new[] { subject.Name, SptagPeerRun.Name }
                .Where(system => book.FastestAtRecall(system, RecallBar) is null)
                .Select(system => book.Points.Any(p => p.System == system) ? $"{system} never reaches recall@10 {RecallBar}" : $"{system} has no results"))
            : null;
        verdicts.Emit("vs_sptag_at_0.95", ratio, "0.###", whyNoRatio);

        var figures = book.Figures(subject.Name);
        verdicts.Emit("index_memory_fraction", figures?.RssGrowthBytes is { } growth ? (double)growth / data.RawFloatBytes : null, "0.####");
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"#   (RSS growth {Mb(figures?.RssGrowthBytes)} MB / raw float32 base {data.Count} x {data.Dimension} x 4 = {data.RawFloatBytes / 1e6:0.0} MB)"));
        verdicts.Emit("max_recall10", book.BestRecall(subject.Name)?.Recall, "0.####");
        double? buildRatio = figures?.BuildSeconds is { } ourBuild && sptagBuild is not null ? ourBuild / sptagBuild.Seconds : null;
        verdicts.Emit("build_vs_sptag", buildRatio, "0.###");
        if (sptagBuild is not null)
        {
            log.Line(string.Create(CultureInfo.InvariantCulture,
                $"#   ({subject.Name} build {figures?.BuildSeconds:0.00} s / SPTAG build {sptagBuild.Seconds:0.0} s, " +
                $"{(sptagBuild.Cached ? "cached from " + sptagBuild.MeasuredUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "measured in this run")})"));
        }

        log.Line("");
        verdicts.AtLeast("vs_sptag_at_0.95", 2);
        verdicts.AtMost("index_memory_fraction", 0.25);
        verdicts.AtLeast("max_recall10", 0.99);
        verdicts.AtMost("build_vs_sptag", 1);
    }

    private AnnPoint? AtBar(string system, AnnResultBook book)
    {
        if (!book.Points.Any(p => p.System == system))
        {
            return null;
        }

        var point = book.FastestAtRecall(system, RecallBar);
        var best = book.BestRecall(system)!;
        log.Line(point is not null
            ? string.Create(CultureInfo.InvariantCulture, $"# {system} at recall@10 >= {RecallBar}: {point.Setting}, recall {point.Recall:0.0000}, {point.Qps1:0} QPS/thread")
            : string.Create(CultureInfo.InvariantCulture, $"# {system} never reaches recall@10 {RecallBar} (best {best.Recall:0.0000} at {best.Setting})"));
        return point;
    }

    private static string Mb(long? bytes) => bytes is { } b ? (b / 1e6).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
}
