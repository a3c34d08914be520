using System.Globalization;

namespace Store.Bench.Peers.Ann;

/// <summary>One ef of hnswlib_rss.py: its own recall (a cross-check), QPS with 1 and 2 query threads, the file of result ids.</summary>
internal sealed record HnswlibPoint(int Ef, double ScriptRecall10, double Qps1, double Qps2, string IdsFile);

/// <summary>
/// What hnswlib_rss.py reported: build seconds and threads, VmRSS before the build (data loaded), after
/// it and after the queries, the points, and anything that could not be read.
/// </summary>
internal sealed record HnswlibReport(
    double? BuildSeconds,
    int? BuildThreads,
    long? RssBeforeKib,
    long? RssAfterBuildKib,
    long? RssAfterQueriesKib,
    IReadOnlyList<HnswlibPoint> Points,
    IReadOnlyList<string> Problems)
{
    /// <summary>The index's memory: VmRSS growth across the build.</summary>
    public long? IndexRssBytes => RssAfterBuildKib - RssBeforeKib is { } kib ? kib * 1024 : null;
}

/// <summary>Runs Peers/Ann/hnswlib_rss.py (M, efConstruction, an ef sweep) and parses its key=value lines.</summary>
internal static class HnswlibRunner
{
    public static HnswlibReport Run(
        AnnPeerPaths paths, string baseFile, string queryFile, string truthFile, int queries, int m, int efConstruction,
        IReadOnlyList<int> efs, string outDirectory, Action<string> log)
    {
        double? build = null;
        int? threads = null;
        long? before = null, afterBuild = null, afterQueries = null;
        var points = new List<HnswlibPoint>();
        var problems = new List<string>();
        int code = PeerProcess.Run(
            paths.Python,
            [
                paths.OwnScript("hnswlib_rss.py"), baseFile, queryFile, truthFile, Text(queries), Text(m), Text(efConstruction),
                string.Join(',', efs.Select(Text)), outDirectory,
            ],
            line =>
            {
                log($"#   hnswlib_rss.py: {line}");
                if (!line.StartsWith("hnswlib ", StringComparison.Ordinal))
                {
                    return;
                }

                var values = Pairs(line);
                if (values.ContainsKey("rss_before_build_kib"))
                {
                    before = Long(values, "rss_before_build_kib");
                }
                else if (values.ContainsKey("seconds"))
                {
                    build = Double(values, "seconds");
                    threads = (int?)Long(values, "threads");
                    afterBuild = Long(values, "rss_after_build_kib");
                }
                else if (values.ContainsKey("rss_after_queries_kib"))
                {
                    afterQueries = Long(values, "rss_after_queries_kib");
                }
                else if (values.ContainsKey("ef"))
                {
                    if (Long(values, "ef") is { } ef && Double(values, "recall10") is { } recall && Double(values, "qps1") is { } q1
                        && Double(values, "qps2") is { } q2 && values.TryGetValue("ids", out string? ids))
                    {
                        points.Add(new HnswlibPoint((int)ef, recall, q1, q2, ids));
                    }
                    else
                    {
                        problems.Add($"unreadable line: '{line}'");
                    }
                }
            });
        if (code != 0)
        {
            problems.Add($"hnswlib_rss.py exited {code}");
        }

        if (build is null || before is null || afterBuild is null)
        {
            problems.Add("no build time or RSS figures");
        }

        foreach (int ef in efs.Where(ef => points.All(p => p.Ef != ef)))
        {
            problems.Add($"no result for ef={ef}");
        }

        return new HnswlibReport(build, threads, before, afterBuild, afterQueries, points, problems);
    }

    /// <summary>Reads an ids file the script wrote: queries x 10 int64 labels.</summary>
    public static long[] ReadIds(string file) => File.Exists(file)
        ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(File.ReadAllBytes(file)).ToArray()
        : throw new FileNotFoundException("hnswlib ids file missing", file);

    private static Dictionary<string, string> Pairs(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.Contains('=', StringComparison.Ordinal))
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static long? Long(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out string? text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;

    private static double? Double(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out string? text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            && double.IsFinite(v) ? v : null;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
