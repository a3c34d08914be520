using System.Globalization;
using Store.Bench.Peers.Ann;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// SPTAG's SPANN on fashion-mnist in uint8 (the shared sptag_run.sh): the build timed once per data
/// directory and cached, the InternalResultNum sweep as sptag_run.sh prints it (recall@10 and QPS with
/// its 1 search thread, over all 10,000 queries of query.bvecs whatever --queries says), memory from
/// peak RSS of its processes, bytes of its index directory.
/// </summary>
internal static class SptagPeerRun
{
    public const string Name = "SPTAG SPANN uint8";

    /// <summary>Returns the build (null when it failed) so the summary can compare build times.</summary>
    public static SptagBuild? Run(AnnPeerPaths paths, AnnSettings settings, int queriesUsed, AnnResultBook book, Action<string> log)
    {
        var runner = new SptagRunner(paths, settings.DataDirectory);
        SptagBuild build;
        try
        {
            build = runner.EnsureBuilt(settings.SptagRebuild, log);
        }
        catch (InvalidOperationException e)
        {
            log($"# sptag: PROBLEM: {e.Message}; SPTAG left out");
            return null;
        }

        string when = build.MeasuredUtc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
        log(build.Cached
            ? string.Create(CultureInfo.InvariantCulture, $"# sptag: build time {build.Seconds:0.0} s is CACHED: measured by this suite on {when} ({runner.WorkDirectory}/store-bench-build.txt); the index built then is reused")
            : string.Create(CultureInfo.InvariantCulture, $"# sptag: built now in {build.Seconds:0.0} s ({build.Threads} threads); index and build time cached in {runner.WorkDirectory} for later runs"));

        if (runner.LoggedStageTimes() is { } stages)
        {
            log($"# sptag: its build log says: {stages}");
        }

        long? idle = runner.IdlePeakRssKib(log);
        var sweep = runner.RunSweep(log);
        string note = queriesUsed == FashionMnistData.QueryCount ? "" : $"all {FashionMnistData.QueryCount} queries";
        foreach (var p in sweep.Points.OrderBy(p => p.InternalResultNum))
        {
            book.Add(new AnnPoint(Name, $"InternalResultNum={p.InternalResultNum}", p.Recall10, null, p.QpsPerThread, null, p.P50Microseconds, p.P99Microseconds, note));
        }

        foreach (string problem in sweep.Problems)
        {
            log($"# sptag: PROBLEM: {problem}");
        }

        long? growth = sweep.PeakRssKib is { } peak && idle is { } baseline ? (peak - baseline) * 1024 : null;
        string rssNote =
            $"peak RSS of its largest search process {Mb(sweep.PeakRssKib)} MB minus an idle sptag-ssdserving (all stages off, loads nothing) {Mb(idle)} MB; " +
            "besides the index that search process holds the whole base as a VectorSet (for its recall; 47.0 MB in uint8), " +
            "the warm-up and query sets (2 x 7.8 MB) and the truth file (4.0 MB)";
        book.Add(new AnnSystemFigures(
            Name,
            build.Seconds,
            build.Cached
                ? $"SelectHead+BuildHead+BuildSSDIndex, {build.Threads} threads, CACHED from {when}"
                : $"SelectHead+BuildHead+BuildSSDIndex, {build.Threads} threads, measured in this run",
            growth,
            rssNote,
            AnnDisk.Bytes(runner.IndexDirectory),
            $"files of {runner.IndexDirectory} (sptag_run.sh's du: {sweep.DiskLine ?? "not printed"})"));
        return build;
    }

    private static string Mb(long? kib) => kib is { } k ? (k * 1024 / 1e6).ToString("0.0", CultureInfo.InvariantCulture) : "n/a";
}
