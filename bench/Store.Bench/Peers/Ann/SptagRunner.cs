using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Store.Bench.Peers.Ann;

/// <summary>A SPANN build of SPTAG: seconds under the suite's stopwatch, when, and the build process's peak RSS.</summary>
internal sealed record SptagBuild(double Seconds, DateTime MeasuredUtc, long? PeakRssKib, string Threads, bool Cached);

/// <summary>
/// One line of sptag_run.sh: <c>sptag SPANN uint8 InternalResultNum=8: recall@10 0.951  qps/thread 2310</c>;
/// plus the p50/p99 of the "Total Latency Distribution" SPTAG printed in that setting's s&lt;N&gt;.log, when readable.
/// </summary>
internal sealed record SptagPoint(int InternalResultNum, double Recall10, double QpsPerThread, double? P50Microseconds = null, double? P99Microseconds = null);

/// <summary>
/// What sptag_run.sh printed: the parsed points, lines that looked like results but could not be read
/// (never guessed at), its <c>index on disk</c> line, the peak RSS of its largest process and its exit code.
/// </summary>
internal sealed record SptagSweep(IReadOnlyList<SptagPoint> Points, IReadOnlyList<string> Problems, string? DiskLine, long? PeakRssKib, int ExitCode);

/// <summary>
/// Runs SPTAG's SPANN (Debian's sptag-ssdserving) on fashion-mnist in uint8, the shared peers' way:
/// the index is built once per data directory by the suite, with the ini sptag_run.sh would write but
/// the search stage off, under a stopwatch; the build time and date are kept in a file beside the index
/// so later runs reuse both. The sweep is sptag_run.sh itself (which finds the index and skips its own
/// build), run under peak_rss.py; its lines are parsed strictly.
/// </summary>
internal sealed partial class SptagRunner(AnnPeerPaths paths, string dataDirectory)
{
    public const string ElementType = "uint8";

    private const string TimingFileName = "store-bench-build.txt";
    private const string IndexMarker = "SPTAGFullList.bin";

    public string WorkDirectory { get; } = Path.Combine(dataDirectory, "sptag-" + ElementType);

    public string IndexDirectory => Path.Combine(WorkDirectory, "spann");

    private string TimingFile => Path.Combine(WorkDirectory, TimingFileName);

    /// <summary>The cached build if there is one with its timing; else builds now (slow: minutes), timed.</summary>
    public SptagBuild EnsureBuilt(bool rebuild, Action<string> log)
    {
        if (!rebuild && File.Exists(Path.Combine(IndexDirectory, IndexMarker)) && ReadTiming() is { } cached)
        {
            return cached;
        }

        if (File.Exists(Path.Combine(IndexDirectory, IndexMarker)))
        {
            log(rebuild
                ? "# sptag: --sptag-rebuild: deleting the cached index"
                : $"# sptag: an index exists in {IndexDirectory} but its build time was not measured by this suite ({TimingFileName} missing): rebuilding it, timed");
        }

        if (Directory.Exists(IndexDirectory))
        {
            Directory.Delete(IndexDirectory, recursive: true);
        }

        Directory.CreateDirectory(WorkDirectory);
        string ini = Ini();
        string buildIni = Path.Combine(WorkDirectory, "build.ini");
        File.WriteAllText(buildIni, SptagIni.WithStages(ini, "SelectHead", "BuildHead", "BuildSSDIndex"));
        string buildLog = Path.Combine(WorkDirectory, "build.log");
        string threads = SptagIni.Value(ini, "BuildSSDIndex", "NumberOfThreads") ?? "?";
        log($"# sptag: building SPANN ({ElementType}, {threads} threads; slow, once per data directory) -> {buildLog}");
        long? peak = null;
        using var writer = new StreamWriter(buildLog, append: false);
        var clock = Stopwatch.StartNew();
        // SPTAG writes scratch files (tempfolder/) under its working directory: keep them in the work directory.
        int code = PeerProcess.Run(paths.Python, [paths.OwnScript("peak_rss.py"), AnnPrerequisites.SptagBinary, buildIni], line =>
        {
            writer.WriteLine(line);
            peak = ParsePeak(line) ?? peak;
        }, WorkDirectory);
        clock.Stop();
        if (code != 0 || !File.Exists(Path.Combine(IndexDirectory, IndexMarker)))
        {
            throw new InvalidOperationException($"SPTAG build failed (exit code {code}, see {buildLog})");
        }

        var build = new SptagBuild(clock.Elapsed.TotalSeconds, DateTime.UtcNow, peak, threads, Cached: false);
        File.WriteAllLines(TimingFile,
        [
            "# Store.Bench ann suite: SPTAG SPANN build of this folder, timed with a stopwatch around 'sptag-ssdserving build.ini'",
            string.Create(CultureInfo.InvariantCulture, $"seconds={build.Seconds:0.000}"),
            $"measured_utc={build.MeasuredUtc.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
            $"peak_rss_kib={(peak is { } p ? p.ToString(CultureInfo.InvariantCulture) : "")}",
            $"threads={threads}",
        ]);
        return build;
    }

    /// <summary>
    /// Peak RSS of sptag-ssdserving with every stage off (it starts, loads no index and no vectors, and
    /// exits): the process's own baseline, which the search runs' peak is compared with. Null if that
    /// run failed.
    /// </summary>
    public long? IdlePeakRssKib(Action<string> log)
    {
        string idleIni = Path.Combine(WorkDirectory, "idle.ini");
        File.WriteAllText(idleIni, SptagIni.WithStages(Ini()));
        long? peak = null;
        var lines = new List<string>();
        int code = PeerProcess.Run(paths.Python, [paths.OwnScript("peak_rss.py"), AnnPrerequisites.SptagBinary, idleIni], line =>
        {
            lines.Add(line);
            peak = ParsePeak(line) ?? peak;
        }, WorkDirectory);
        File.WriteAllLines(Path.Combine(WorkDirectory, "idle.log"), lines);
        if (code != 0 || lines.Any(l => l.StartsWith("Load ", StringComparison.Ordinal) || l.Contains("] Load ", StringComparison.Ordinal)))
        {
            log($"# sptag: the idle run (all stages off) exited {code} or loaded data (see idle.log); no baseline");
            return null;
        }

        return peak;
    }

    /// <summary>SPTAG's own stage times from the build log ("select head time: ..s build head time: ..s build ssd time: ..s"), or null.</summary>
    public string? LoggedStageTimes()
    {
        string buildLog = Path.Combine(WorkDirectory, "build.log");
        return File.Exists(buildLog)
            ? File.ReadLines(buildLog).LastOrDefault(l => l.Contains("build ssd time:", StringComparison.Ordinal)) is { } line
                ? line[(line.IndexOf("select head time:", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..].Trim()
                : null
            : null;
    }

    /// <summary>Runs sptag_run.sh DIR uint8 (all 10,000 queries of query.bvecs; InternalResultNum 4, 8, 16, 32).</summary>
    public SptagSweep RunSweep(Action<string> log)
    {
        var points = new List<SptagPoint>();
        var problems = new List<string>();
        string? disk = null;
        long? peak = null;
        int code = PeerProcess.Run(paths.Python, [paths.OwnScript("peak_rss.py"), "bash", paths.SharedScript("sptag_run.sh"), dataDirectory, ElementType], line =>
        {
            if (ParsePeak(line) is { } kib)
            {
                peak = kib;
                return;
            }

            log($"#   sptag_run.sh: {line}");
            if (line.StartsWith("index on disk:", StringComparison.Ordinal))
            {
                disk = line["index on disk:".Length..].Trim();
            }
            else if (line.StartsWith("sptag SPANN", StringComparison.Ordinal))
            {
                if (ParsePoint(line) is { } point)
                {
                    points.Add(point);
                }
                else
                {
                    problems.Add($"unreadable result line: '{line}'");
                }
            }
        }, WorkDirectory);
        if (code != 0)
        {
            problems.Add($"sptag_run.sh exited {code} (a missing recall or QPS in an s<N>.log stops it; see {WorkDirectory})");
        }

        foreach (int n in ExpectedSettings.Where(n => points.All(p => p.InternalResultNum != n)))
        {
            problems.Add($"no result line for InternalResultNum={n}");
        }

        var withLatency = points.Select(p => LatencyOf(p, problems)).ToList();
        return new SptagSweep(withLatency, problems, disk, peak, code);
    }

    /// <summary>The InternalResultNum values sptag_run.sh sweeps.</summary>
    public static IReadOnlyList<int> ExpectedSettings { get; } = [4, 8, 16, 32];

    /// <summary>Parses one result line of sptag_run.sh; null when any part is missing or not a finite number.</summary>
    public static SptagPoint? ParsePoint(string line)
    {
        var match = PointPattern().Match(line);
        if (!match.Success || match.Groups[1].Value != ElementType)
        {
            return null;
        }

        return int.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int n)
            && double.TryParse(match.Groups[3].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double recall)
            && double.TryParse(match.Groups[4].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double qps)
            && recall is >= 0 and <= 1 && double.IsFinite(qps) && qps > 0
            ? new SptagPoint(n, recall, qps)
            : null;
    }

    /// <summary>
    /// Reads p50 and p99 (ms in the log) from the line after "Total Latency Distribution:" and its header
    /// "Avg 50tiles 90tiles 95tiles 99tiles ..." in s&lt;N&gt;.log; leaves them null (and says so) when absent or odd.
    /// </summary>
    private SptagPoint LatencyOf(SptagPoint point, List<string> problems)
    {
        string file = Path.Combine(WorkDirectory, $"s{point.InternalResultNum.ToString(CultureInfo.InvariantCulture)}.log");
        string[] lines = File.Exists(file) ? File.ReadAllLines(file) : [];
        int at = Array.FindLastIndex(lines, l => l.Contains("Total Latency Distribution:", StringComparison.Ordinal));
        if (at >= 0 && at + 2 < lines.Length)
        {
            string[] header = Cells(lines[at + 1]);
            string[] values = Cells(lines[at + 2]);
            int p50 = Array.IndexOf(header, "50tiles");
            int p99 = Array.IndexOf(header, "99tiles");
            if (p50 >= 0 && p99 >= 0 && values.Length == header.Length
                && double.TryParse(values[p50], NumberStyles.Float, CultureInfo.InvariantCulture, out double m50)
                && double.TryParse(values[p99], NumberStyles.Float, CultureInfo.InvariantCulture, out double m99))
            {
                return point with { P50Microseconds = m50 * 1000, P99Microseconds = m99 * 1000 };
            }
        }

        problems.Add($"no readable latency distribution in {file}");
        return point;

        static string[] Cells(string line) =>
            line[(line.IndexOf(']', StringComparison.Ordinal) + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
    }

    private static long? ParsePeak(string line) =>
        line.StartsWith("peak_rss_kib ", StringComparison.Ordinal)
            && long.TryParse(line.AsSpan("peak_rss_kib ".Length), NumberStyles.None, CultureInfo.InvariantCulture, out long kib)
            ? kib
            : null;

    private string Ini()
    {
        string template = paths.SharedScript("sptag_fmnist.ini");
        if (!File.Exists(template))
        {
            throw new InvalidOperationException($"{template} is missing");
        }

        return SptagIni.ForUInt8(File.ReadAllText(template), Path.GetFullPath(dataDirectory), Path.GetFullPath(WorkDirectory));
    }

    private SptagBuild? ReadTiming()
    {
        if (!File.Exists(TimingFile))
        {
            return null;
        }

        var values = File.ReadAllLines(TimingFile)
            .Where(l => !l.StartsWith('#') && l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.Ordinal);
        return values.TryGetValue("seconds", out string? s)
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds > 0
            && values.TryGetValue("measured_utc", out string? u)
            && DateTime.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? new SptagBuild(
                seconds,
                utc,
                values.TryGetValue("peak_rss_kib", out string? r) && long.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib : null,
                values.GetValueOrDefault("threads") ?? "?",
                Cached: true)
            : null;
    }

    [GeneratedRegex(@"^sptag SPANN (\S+) InternalResultNum=(\d+): recall@10 (\S*)\s+qps/thread (\S*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex PointPattern();
}
