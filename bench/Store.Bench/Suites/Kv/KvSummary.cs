using System.Globalization;
using Store.Bench.Reporting;
using Store.Bench.Suites.Kv.Engines;

namespace Store.Bench.Suites.Kv;

/// <summary>
/// The closing part of the kv suite: the recovery table, then the <c>result</c> lines (Store against
/// RocksDB and FASTER at 1M keys, or the smallest key count run, and the most threads run), each
/// target of the issue with its verdict. A value whose measurements are missing is left out, with a
/// note naming it.
/// </summary>
internal static class KvSummary
{
    private const string Prefix = "kv";

    private static readonly TextTable RecoveryTable = new(
    [
        new("engine", 8, false),
        new("keys", 10, true),
        new("threads", 7, true),
        new("bytes on disk", 13, true),
        new("reopen s", 9, true),
        new("replayed MB", 11, true),
        new("replay s", 9, true),
        new("replay MB/s", 11, true),
        new("settle s", 8, true),
    ]);

    public static void Write(ResultLog log, KvResultBook book, KvSettings settings, IReadOnlyList<KvPeer> peers)
    {
        log.Line("");
        log.Line("recovery (after the fill: close, reopen; Store also reopens with its checkpoints deleted, replaying every log record;" +
            " settle: wait for background work before the reads):");
        log.Line(RecoveryTable.Header());
        log.Line(RecoveryTable.Rule());
        foreach (var r in book.Recoveries)
        {
            log.Line(RecoveryTable.Format(
            [
                r.Engine,
                KvResultTable.Integer(r.Keys),
                KvResultTable.Integer(r.Threads),
                KvResultTable.Integer(r.BytesOnDisk),
                KvResultTable.Number(r.Reopen.TotalSeconds, "0.000"),
                r.ReplayedBytes is { } bytes ? KvResultTable.Number(bytes / 1e6, "0.0") : "-",
                r.Replay is { } time ? KvResultTable.Number(time.TotalSeconds, "0.000") : "-",
                r.ReplayMegabytesPerSecond is { } rate ? KvResultTable.Number(rate, "0") : "-",
                KvResultTable.Number(r.Settle.TotalSeconds, "0.0"),
            ]));
        }

        int keys = settings.Keys.Contains(KvSettings.RatioKeys) ? KvSettings.RatioKeys : settings.Keys[0];
        int threads = settings.Threads[^1];
        log.Line("");
        log.Line($"# ratios at {keys} keys, {threads} threads (Kops/s of Store / Kops/s of the peer)");
        var missing = new List<string>();
        var results = new Dictionary<string, double>();
        void Emit(string name, double? value, string format)
        {
            if (value is { } v && double.IsFinite(v))
            {
                results[name] = v;
                log.Line($"result {Prefix}.{name} {v.ToString(format, CultureInfo.InvariantCulture)}");
            }
            else
            {
                missing.Add($"{Prefix}.{name}");
            }
        }

        double? Ratio(string peer, string workload) =>
            book.Find("Store", workload, keys, threads) is { } ours && book.Find(peer, workload, keys, threads) is { } theirs
                ? ours.Operations / ours.Seconds / (theirs.Operations / theirs.Seconds)
                : null;

        Emit("vs_rocksdb.fillrandom", Ratio("RocksDB", KvSession.FillRandom), "0.###");
        Emit("vs_rocksdb.readrandom", Ratio("RocksDB", KvSession.ReadRandom), "0.###");
        Emit("vs_rocksdb.readwhilewriting", Ratio("RocksDB", KvSession.ReadWhileWriting), "0.###");
        Emit("vs_rocksdb.seeknext", Ratio("RocksDB", KvSession.SeekRandom), "0.###");
        Emit("vs_faster.fillrandom", Ratio("FASTER", KvSession.FillRandom), "0.###");
        Emit("vs_faster.readrandom", Ratio("FASTER", KvSession.ReadRandom), "0.###");
        Emit("recovery_mb_per_s", book.FindRecovery("Store", keys, threads)?.ReplayMegabytesPerSecond, "0");
        foreach (var peer in peers)
        {
            Emit($"bytes_on_disk.{peer.Name}", book.FindRecovery(peer.Engine, keys, threads)?.BytesOnDisk, "0");
        }

        log.Line($"result {Prefix}.keys {keys.ToString(CultureInfo.InvariantCulture)}");
        log.Line($"result {Prefix}.threads {threads.ToString(CultureInfo.InvariantCulture)}");
        if (missing.Count > 0)
        {
            log.Line($"# not reported (missing measurements): {string.Join(", ", missing)}");
        }

        log.Line("");
        Target(log, results, "vs_rocksdb.fillrandom", 5);
        Target(log, results, "vs_rocksdb.readrandom", 5);
        Target(log, results, "vs_rocksdb.seeknext", 3);
        Target(log, results, "vs_faster.readrandom", 0.5);
        Target(log, results, "recovery_mb_per_s", 500);
    }

    private static void Target(ResultLog log, Dictionary<string, double> results, string name, double atLeast)
    {
        string goal = atLeast.ToString("0.###", CultureInfo.InvariantCulture);
        string verdict = results.TryGetValue(name, out double value)
            ? $"{value.ToString("0.###", CultureInfo.InvariantCulture)} -> {(value >= atLeast ? "met" : "NOT met")}"
            : "not measured";
        log.Line($"# target {Prefix}.{name} >= {goal}: {verdict}");
    }
}
