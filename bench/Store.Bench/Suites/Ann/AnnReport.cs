using System.Globalization;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>The tables of the ann suite: recall and speed per setting (printed as measured), then build, memory and disk per system.</summary>
internal sealed class AnnReport(ResultLog log)
{
    private readonly TextTable _points = new(
    [
        new("system", 22, false),
        new("setting", 22, false),
        new("recall@10", 9, true),
        new("w/ ties", 7, true),
        new("QPS 1T", 8, true),
        new("QPS 2T", 8, true),
        new("p50 us", 8, true),
        new("p99 us", 8, true),
        new("note", 4, false),
    ]);

    private readonly TextTable _systems = new(
    [
        new("system", 22, false),
        new("build s", 8, true),
        new("RSS growth MB", 13, true),
        new("on disk MB", 10, true),
        new("how", 3, false),
    ]);

    public void PointsHeader()
    {
        log.Line(_points.Header());
        log.Line(_points.Rule());
    }

    public void Write(AnnPoint p) => log.Line(_points.Format(
    [
        p.System,
        p.Setting,
        Number(p.Recall, "0.0000"),
        p.RecallWithTies is { } t ? Number(t, "0.0000") : "-",
        Number(p.Qps1, "0"),
        p.Qps2 is { } q2 ? Number(q2, "0") : "-",
        p.P50Microseconds is { } p50 ? Latency(p50) : "-",
        p.P99Microseconds is { } p99 ? Latency(p99) : "-",
        p.Note,
    ]));

    public void WriteSystems(IReadOnlyList<AnnSystemFigures> systems)
    {
        log.Line("");
        log.Line("build, memory, disk per system:");
        log.Line(_systems.Header());
        log.Line(_systems.Rule());
        foreach (var s in systems)
        {
            log.Line(_systems.Format(
            [
                s.System,
                s.BuildSeconds is { } b ? Number(b, "0.00") : "n/a",
                s.RssGrowthBytes is { } r ? Number(r / 1e6, "0.0") : "n/a",
                s.DiskBytes is { } d ? Number(d / 1e6, "0.0") : "-",
                $"build: {s.BuildNote}; RSS: {s.RssNote}; disk: {s.DiskNote}",
            ]));
        }
    }

    public static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Latency(double microseconds) =>
        Number(microseconds, microseconds < 10 ? "0.00" : microseconds < 1000 ? "0.0" : "0");
}
