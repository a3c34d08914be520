using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Suites.Kv.Engines;

namespace Store.Bench.Suites.Kv;

/// <summary>Settings of the kv suite: key counts, threads, engines, phase lengths.</summary>
internal sealed record KvSettings(
    bool Quick,
    IReadOnlyList<int> Keys,
    IReadOnlyList<int> Threads,
    IReadOnlyList<string> Engines,
    TimeSpan Duration,
    TimeSpan WarmUp,
    bool AllowInstall,
    bool RocksDbTuned,
    string WorkDirectory)
{
    /// <summary>Keys read back and compared after each reopen.</summary>
    public const int VerifySamples = 10_000;

    /// <summary>Longest wait for an engine's background work after the load, before the read phases.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(5);

    /// <summary>The key count the result ratios are taken at, when the run has it.</summary>
    public const int RatioKeys = 1_000_000;

    public static IReadOnlyList<string> EngineNames { get; } = [StorePeer.CommandName, RocksDbPeer.CommandName, FasterPeer.CommandName];

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("keys", "LIST", "key counts, e.g. 1000000,10000000 (default 1M,10M; quick 1M)"),
        new("threads", "LIST", "thread counts (default 1,2)"),
        new("engines", "LIST", $"engines to run (default {string.Join(',', EngineNames)})"),
        new("duration", "SECONDS", "length of each read/seek phase (default 10, quick 3); warm-up is a sixth of it"),
        new("no-install", null, "never run apt-get to install librocksdb-dev when it is missing"),
        new("rocksdb-tuned", null, "RocksDB with a 10 bits/key bloom filter and a 1 GiB block cache (default: db_bench's defaults)"),
        new("dir", "DIR", "where the databases are created (default: the system temp folder); each is deleted afterwards"),
    ];

    public static KvSettings From(SuiteContext context)
    {
        var options = context.Options;
        bool quick = context.Quick;
        var engines = options.GetList("engines") ?? EngineNames;
        foreach (string engine in engines)
        {
            if (!EngineNames.Contains(engine))
            {
                throw new UsageException($"unknown engine '{engine}' (known: {string.Join(',', EngineNames)})");
            }
        }

        double seconds = options.GetDouble("duration", quick ? 3 : 10, 0.1, 600);
        return new KvSettings(
            quick,
            [.. (options.GetIntList("keys", 1_000, 200_000_000) ?? (quick ? [1_000_000] : [1_000_000, 10_000_000])).Distinct().Order()],
            [.. (options.GetIntList("threads", 1, 256) ?? [1, 2]).Distinct().Order()],
            [.. EngineNames.Where(engines.Contains)],
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromSeconds(Math.Max(0.2, seconds / 6)),
            !options.Has("no-install"),
            options.Has("rocksdb-tuned"),
            Path.GetFullPath(options.Value("dir") ?? Path.GetTempPath()));
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"mode={(Quick ? "quick" : "full")} keys={string.Join(',', Keys)} threads={string.Join(',', Threads)} " +
        $"engines={string.Join(',', Engines)} key={KvData.KeyBytes}B value={KvData.ValueBytes}B duration={Duration.TotalSeconds}s " +
        $"warm-up={WarmUp.TotalSeconds:0.##}s rocksdb={(RocksDbTuned ? "tuned" : "default")} dir={WorkDirectory}");
}
