using System.Globalization;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Server;

/// <summary>The table of the server suite and its closing <c>result</c> and <c>target</c> lines.</summary>
internal static class ServerReport
{
    private const string Prefix = "server";

    private static readonly TextTable Table = new(
    [
        new("round", 5, true),
        new("subject", 7, false),
        new("op", 3, false),
        new("depth", 5, true),
        new("ops/s", 11, true),
        new("p50 us", 8, true),
        new("p99 us", 8, true),
        new("p99.9 us", 9, true),
        new("server cpu us", 13, true),
        new("loadgen cpu us", 14, true),
    ]);

    public static void WriteHeader(ResultLog log)
    {
        log.Line("");
        log.Line(Table.Header());
        log.Line(Table.Rule());
    }

    public static void WriteRow(ResultLog log, ServerResult r) => log.Line(Table.Format(
    [
        r.Round.ToString(CultureInfo.InvariantCulture),
        r.Subject,
        r.Operation,
        r.Depth.ToString(CultureInfo.InvariantCulture),
        r.OpsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
        r.P50Us.ToString("0", CultureInfo.InvariantCulture),
        r.P99Us.ToString("0", CultureInfo.InvariantCulture),
        r.P999Us.ToString("0", CultureInfo.InvariantCulture),
        Cpu(r.ServerCpuUs),
        Cpu(r.GeneratorCpuUs),
    ]));

    private static string Cpu(double microseconds) => double.IsNaN(microseconds) ? "?" : microseconds.ToString("0.00", CultureInfo.InvariantCulture);

    public static void WriteSummary(ResultLog log, IReadOnlyList<ServerResult> results, ServerSettings settings)
    {
        log.Line("");
        log.Line("# ratios: Store / Redis; throughput of GET and SET together (total requests / total seconds), p99 the mean of GET's and SET's;");
        log.Line("# per round (Store and Redis measured back to back), then the median over rounds as the result.");
        log.Line("# cpu us: CPU microseconds (user + system) per request of the server process and of the load generator over the");
        log.Line("# measured run; the two share the machine's cores, so less CPU per request is more throughput at saturation.");
        var values = new Dictionary<string, double>();
        foreach (int depth in settings.Depths)
        {
            var throughput = new List<double>();
            var p99 = new List<double>();
            for (int round = 1; round <= settings.Rounds; round++)
            {
                if (Combined(results, round, "Store", depth) is { } ours && Combined(results, round, "Redis", depth) is { } theirs)
                {
                    throughput.Add(ours.Throughput / theirs.Throughput);
                    p99.Add(ours.P99 / theirs.P99);
                    log.Line($"# round {round}: vs_redis.p{depth} {Format(throughput[^1])}, p99_vs_redis.p{depth} {Format(p99[^1])}");
                }
            }

            foreach (string subject in new[] { "Store", "Redis" })
            {
                var rows = results.Where(r => r.Subject == subject && r.Depth == depth).ToList();
                if (rows.Count > 0)
                {
                    log.Line($"# depth {depth}, {subject}: CPU per request, mean over rounds and operations: server {Cpu(rows.Average(r => r.ServerCpuUs))} us, load generator {Cpu(rows.Average(r => r.GeneratorCpuUs))} us");
                }
            }

            if (throughput.Count == settings.Rounds)
            {
                Emit(log, values, $"vs_redis.p{depth}", Median(throughput));
                Emit(log, values, $"p99_vs_redis.p{depth}", Median(p99));
            }
            else
            {
                log.Line($"# not reported: {Prefix}.vs_redis.p{depth} (missing measurements)");
            }
        }

        log.Line("");
        Target(log, values, "vs_redis.p1", 1, atLeast: true);
        Target(log, values, "vs_redis.p16", 1.5, atLeast: true);
        Target(log, values, "p99_vs_redis.p1", 1, atLeast: false);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    private static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static (double Throughput, double P99)? Combined(IReadOnlyList<ServerResult> results, int round, string subject, int depth)
    {
        var rows = results.Where(r => r.Round == round && r.Subject == subject && r.Depth == depth).ToList();
        if (rows.Count != 2)
        {
            return null;
        }

        // Equal request counts per operation: combined throughput is the harmonic mean of the two rates.
        double seconds = rows.Sum(r => 1 / r.OpsPerSecond);
        return (rows.Count / seconds, rows.Average(r => r.P99Us));
    }

    private static void Emit(ResultLog log, Dictionary<string, double> values, string name, double value)
    {
        values[name] = value;
        log.Line($"result {Prefix}.{name} {value.ToString("0.###", CultureInfo.InvariantCulture)}");
    }

    private static void Target(ResultLog log, Dictionary<string, double> values, string name, double goal, bool atLeast)
    {
        string bound = $"{(atLeast ? ">=" : "<=")} {goal.ToString("0.###", CultureInfo.InvariantCulture)}";
        string verdict = values.TryGetValue(name, out double value)
            ? $"{value.ToString("0.###", CultureInfo.InvariantCulture)} -> {((atLeast ? value >= goal : value <= goal) ? "met" : "NOT met")}"
            : "not measured";
        log.Line($"# target {Prefix}.{name} {bound}: {verdict}");
    }
}
