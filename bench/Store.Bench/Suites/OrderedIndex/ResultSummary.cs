using System.Globalization;
using Store.Bench.Measurement;
using Store.Bench.Peers;
using Store.Bench.Reporting;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// The closing <c>result &lt;name&gt; &lt;value&gt;</c> lines: B-skiplist against the classic skiplist at
/// the most threads measured, uniform 8-byte keys, and the bytes per entry. A value whose
/// measurements are missing (peer not selected or failed) is left out, with a note saying so.
/// </summary>
internal static class ResultSummary
{
    private const string Prefix = "bskiplist";

    public static void Write(ResultLog log, ResultBook book, IReadOnlyList<PeerDescriptor> peers, int keys, int threads)
    {
        log.Line("");
        log.Line($"bytes per entry ({keys} 8-byte keys loaded by one thread, managed heap growth):");
        foreach (var peer in peers)
        {
            if (book.BytesPerEntry(peer.Name) is { } bytes)
            {
                log.Line($"  {peer.Structure,-16} {Format(bytes, "0.0")}");
            }
        }

        log.Line("");
        var missing = new List<string>();
        foreach (var workload in Workload.All)
        {
            Ratio(log, missing, $"vs_classic.{workload.Name}", Measured(book, workload, threads), m => m.Mops);
        }

        Ratio(log, missing, "p99_vs_classic.A", Measured(book, Workload.A, threads), m => m.P99Microseconds);
        Ratio(log, missing, "p99_vs_classic.C", Measured(book, Workload.C, threads), m => m.P99Microseconds);
        Emit(log, missing, "bytes_per_entry", book.BytesPerEntry(PeerCatalog.BSkipList), "0.0");
        Emit(log, missing, "classic.bytes_per_entry", book.BytesPerEntry(PeerCatalog.Classic), "0.0");
        log.Line($"result {Prefix}.threads {threads.ToString(CultureInfo.InvariantCulture)}");
        if (missing.Count > 0)
        {
            log.Line($"# not reported (no measurement of both structures): {string.Join(", ", missing)}");
        }
    }

    private static (PhaseMeasurement? Ours, PhaseMeasurement? Classic) Measured(ResultBook book, Workload workload, int threads) =>
        (book.Find(PeerCatalog.BSkipList, workload, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads),
         book.Find(PeerCatalog.Classic, workload, KeyDistribution.Uniform, KeyEncoding.ShortKeyBytes, threads));

    private static void Ratio(
        ResultLog log,
        List<string> missing,
        string name,
        (PhaseMeasurement? Ours, PhaseMeasurement? Classic) pair,
        Func<PhaseMeasurement, double> metric)
    {
        double? ratio = pair is ({ } ours, { } classic) ? metric(ours) / metric(classic) : null;
        Emit(log, missing, name, ratio, "0.###");
    }

    private static void Emit(ResultLog log, List<string> missing, string name, double? value, string format)
    {
        if (value is { } v && double.IsFinite(v))
        {
            log.Line($"result {Prefix}.{name} {Format(v, format)}");
        }
        else
        {
            missing.Add($"{Prefix}.{name}");
        }
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
