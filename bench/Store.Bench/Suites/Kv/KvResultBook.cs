using Store.Bench.Measurement;

namespace Store.Bench.Suites.Kv;

/// <summary>What the kv suite measured, kept for the closing tables and <c>result</c> lines.</summary>
internal sealed class KvResultBook
{
    private readonly Dictionary<(string Engine, string Workload, int Keys, int Threads), PhaseMeasurement> _phases = [];
    private readonly List<KvRecovery> _recoveries = [];

    public IReadOnlyList<KvRecovery> Recoveries => _recoveries;

    public void Add(string engine, string workload, int keys, int threads, PhaseMeasurement measurement) =>
        _phases[(engine, workload, keys, threads)] = measurement;

    public void Add(KvRecovery recovery) => _recoveries.Add(recovery);

    public PhaseMeasurement? Find(string engine, string workload, int keys, int threads) =>
        _phases.GetValueOrDefault((engine, workload, keys, threads));

    public KvRecovery? FindRecovery(string engine, int keys, int threads) =>
        _recoveries.LastOrDefault(r => r.Engine == engine && r.Keys == keys && r.Threads == threads);
}

/// <summary>
/// Close and reopen after a fill: bytes of the closed directory, the normal reopen's time and, for
/// Store, the whole-log replay (bytes of log records, seconds); then the wait for background work
/// before the read phases.
/// </summary>
internal sealed record KvRecovery(
    string Engine,
    int Keys,
    int Threads,
    long BytesOnDisk,
    TimeSpan Reopen,
    long? ReplayedBytes,
    TimeSpan? Replay,
    TimeSpan Settle)
{
    public double? ReplayMegabytesPerSecond => ReplayedBytes is { } bytes && Replay is { } time ? bytes / 1e6 / time.TotalSeconds : null;
}
