using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Peers;
using Store.Index;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Settings of the bskiplist suite: sizes, thread sweep, peers, run lengths.</summary>
internal sealed record SuiteSettings(
    bool Quick,
    int Keys,
    IReadOnlyList<int> Threads,
    IReadOnlyList<string> Peers,
    int? NodeCapacity,
    TimeSpan Duration,
    TimeSpan WarmUp,
    int Runs,
    bool SelfCheck)
{
    /// <summary>Warm-up of all operation mixes per peer and key size, before its first measured run (JIT tiering).</summary>
    public TimeSpan CodeWarmUp => TimeSpan.FromSeconds(Quick ? 1 : 3);

    public const int FullKeys = 2_000_000;
    public const int QuickKeys = 200_000;

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("keys", "N", $"keys loaded (default {FullKeys:N0}, quick {QuickKeys:N0})"),
        new("threads", "LIST", "thread counts, e.g. 1,2,16 (default 1,2,4..ProcessorCount; quick 1,ProcessorCount)"),
        new("peers", "LIST", $"structures to run (default {string.Join(',', PeerCatalog.Names)})"),
        new("node-capacity", "B", "B-skiplist entries per node (default: the engine's default)"),
        new("duration", "SECONDS", "length of each measured run (default 2, quick 0.5); warm-up is half of it"),
        new("runs", "R", "measured runs per cell, median reported (default 3, quick 1)"),
        new("selfcheck", null, "check every selected peer against a model (single and multi-thread), then exit"),
    ];

    public static SuiteSettings From(SuiteContext context)
    {
        var options = context.Options;
        bool quick = context.Quick;
        var peers = options.GetList("peers") ?? PeerCatalog.Names;
        foreach (string peer in peers)
        {
            if (!PeerCatalog.Names.Contains(peer))
            {
                throw new UsageException($"unknown peer '{peer}' (known: {string.Join(',', PeerCatalog.Names)})");
            }
        }

        var threads = options.GetIntList("threads", 1, 1024) ?? DefaultThreads(quick, Environment.ProcessorCount);
        double seconds = options.GetDouble("duration", quick ? 0.5 : 2, 0.05, 600);
        return new SuiteSettings(
            quick,
            options.GetInt("keys", quick ? QuickKeys : FullKeys, 1_000, 200_000_000),
            [.. threads.Distinct().Order()],
            [.. peers.Distinct()],
            options.Has("node-capacity")
                ? options.GetInt("node-capacity", 0, BSkipListOptions.MinNodeCapacity, BSkipListOptions.MaxNodeCapacity)
                : null,
            TimeSpan.FromSeconds(seconds),
            TimeSpan.FromSeconds(seconds / 2),
            options.GetInt("runs", quick ? 1 : 3, 1, 100),
            options.Has("selfcheck"));
    }

    /// <summary>Full: 1, 2, 4, ... up to the processor count, plus the processor count. Quick: 1 and the processor count.</summary>
    public static IReadOnlyList<int> DefaultThreads(bool quick, int processors)
    {
        var threads = new SortedSet<int> { 1, processors };
        for (int t = 2; !quick && t < processors; t *= 2)
        {
            threads.Add(t);
        }

        return [.. threads];
    }

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"mode={(Quick ? "quick" : "full")} keys={Keys} threads={string.Join(',', Threads)} peers={string.Join(',', Peers)} " +
        $"node-capacity={(NodeCapacity is { } b ? b.ToString(CultureInfo.InvariantCulture) : "default")} " +
        $"duration={Duration.TotalSeconds}s warm-up={WarmUp.TotalSeconds}s runs={Runs}");
}
