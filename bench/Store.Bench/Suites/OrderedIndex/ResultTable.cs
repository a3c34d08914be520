using System.Globalization;
using Store.Bench.Measurement;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>The table of the suite: one row per (structure, cell), median run.</summary>
internal sealed class ResultTable(ResultLog log)
{
    private readonly TextTable _table = new(
    [
        new("structure", 16, false),
        new("workload", 8, false),
        new("dist", 7, false),
        new("key B", 5, true),
        new("threads", 7, true),
        new("Mops/s", 8, true),
        new("p50 us", 8, true),
        new("p99 us", 8, true),
        new("p99.9 us", 8, true),
        new("GCs g0/g1/g2", 12, true),
        new("GC pause ms", 11, true),
    ]);

    public void WriteHeader()
    {
        log.Line("# workloads: Load inserts the N keys into an empty structure; A 50% read / 50% update; B 95/5; C read only;");
        log.Line("#   E 95% scans of 1..100 keys / 5% inserts of new keys; zipfian: theta 0.99, hot keys scattered over the key space");
        log.Line("# Mops/s: operations / (last worker end - first worker start); latencies: every operation timed, log-linear");
        log.Line("#   histogram (buckets under 3.2% wide), all threads merged; a row is the median run by Mops/s; GCs, pause: that run's");
        log.Line(_table.Header());
        log.Line(_table.Rule());
    }

    public void Write(string structure, BenchCell cell, PhaseMeasurement measurement) =>
        log.Line(_table.Format(
        [
            .. Key(structure, cell),
            Number(measurement.Mops, "0.000"),
            Latency(measurement.P50Microseconds),
            Latency(measurement.P99Microseconds),
            Latency(measurement.P999Microseconds),
            $"{measurement.Gc.Gen0}/{measurement.Gc.Gen1}/{measurement.Gc.Gen2}",
            Number(measurement.Gc.Pause.TotalMilliseconds, "0.0"),
        ]));

    /// <summary>A row for a cell the structure cannot run (an unordered map has no scan).</summary>
    public void WriteNotApplicable(string structure, BenchCell cell) =>
        log.Line(_table.Format([.. Key(structure, cell), "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"]));

    private static string[] Key(string structure, BenchCell cell) =>
    [
        structure,
        cell.Workload.Name,
        cell.Distribution.ToString().ToLowerInvariant(),
        cell.KeyBytes.ToString(CultureInfo.InvariantCulture),
        cell.Threads.ToString(CultureInfo.InvariantCulture),
    ];

    private static string Latency(double microseconds) =>
        Number(microseconds, microseconds < 10 ? "0.000" : microseconds < 1000 ? "0.0" : "0");

    private static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
