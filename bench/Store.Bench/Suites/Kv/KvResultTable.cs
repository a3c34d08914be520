using System.Globalization;
using Store.Bench.Measurement;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Kv;

/// <summary>The main table of the kv suite: one row per (engine, workload, keys, threads).</summary>
internal sealed class KvResultTable(ResultLog log)
{
    private readonly TextTable _table = new(
    [
        new("engine", 8, false),
        new("workload", 16, false),
        new("keys", 10, true),
        new("threads", 7, true),
        new("Kops/s", 9, true),
        new("p50 us", 8, true),
        new("p99 us", 8, true),
        new("bytes on disk", 13, true),
        new("GCs g0/g1/g2", 12, true),
    ]);

    public void WriteHeader()
    {
        log.Line(_table.Header());
        log.Line(_table.Rule());
    }

    public void Write(string engine, string workload, int keys, int threads, PhaseMeasurement measurement, long? bytesOnDisk = null) =>
        log.Line(_table.Format(
        [
            engine,
            workload,
            Integer(keys),
            Integer(threads),
            Number(measurement.Operations / measurement.Seconds / 1e3, "0.0"),
            Latency(measurement.P50Microseconds),
            Latency(measurement.P99Microseconds),
            bytesOnDisk is { } bytes ? Integer(bytes) : "-",
            $"{measurement.Gc.Gen0}/{measurement.Gc.Gen1}/{measurement.Gc.Gen2}",
        ]));

    public void WriteNotApplicable(string engine, string workload, int keys, int threads) =>
        log.Line(_table.Format([engine, workload, Integer(keys), Integer(threads), "n/a", "n/a", "n/a", "-", "-"]));

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Latency(double microseconds) =>
        Number(microseconds, microseconds < 10 ? "0.00" : microseconds < 1000 ? "0.0" : "0");
}
