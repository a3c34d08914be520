using Store.Bench.Cli;

namespace Store.Bench.Suites.Server;

/// <summary>Settings of the server suite, from its command line.</summary>
internal sealed record ServerSettings(
    bool Quick, int Keys, int Requests, int Clients, IReadOnlyList<int> Depths, int ValueBytes, bool AllowInstall, bool SkipRedis,
    int Connections, int RedisThreads, bool ServerInThisBinary, double WarmupSeconds, int Rounds)
{
    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("requests", "N", "requests per operation and pipeline depth (default 500000; --quick 100000)"),
        new("clients", "N", "concurrent callers (default 50, as redis-benchmark -c)"),
        new("depths", "LIST", "pipeline depths (default 1,16)"),
        new("no-install", null, "do not run ../shared/peers/install.sh when redis is missing"),
        new("no-redis", null, "measure Store only"),
        new("connections", "N", "connections of the Store client (its PoolSize; callers spread over them round-robin; default: logical CPUs / 4, from 1 to 4)"),
        new("redis-threads", "N", "redis-benchmark --threads N (default: not passed, one thread)"),
        new("rounds", "N", "rounds of every (operation, depth) pair, Store then Redis; results are the median round's ratios (default 3; --quick 1)"),
        new("warmup", "SECONDS", "least warm-up of the Store client and server before each measured run (default 2; --quick 1)"),
        new("server-process", "KIND", "how the Store server child starts: dotnet (dotnet exec store-server.dll, default) or self (this binary's serve-store command, for a self-contained publish)"),
    ];

    /// <summary>
    /// The client's pool by default: one connection per four logical CPUs, 1 to 4. The server runs one
    /// connection's requests in order on one thread, so a single connection uses one server core; on 16
    /// CPUs 4 connections measured best (1, 2, 4 and 8 tried: bench/results/server-20261207-225*-16core-*),
    /// on 2 CPUs 1 and 2 were alike. Load generator and server share the machine, hence a quarter.
    /// </summary>
    private static int DefaultConnections => Math.Clamp(Environment.ProcessorCount / 4, 1, 4);

    public static ServerSettings From(SuiteContext context)
    {
        bool quick = context.Quick;
        ParsedOptions options = context.Options;
        return new ServerSettings(
            quick,
            Keys: 100_000,
            Requests: options.GetInt("requests", quick ? 100_000 : 500_000, 1_000, 100_000_000),
            Clients: options.GetInt("clients", 50, 1, 10_000),
            Depths: options.GetIntList("depths", 1, 1024) ?? [1, 16],
            ValueBytes: 16,
            AllowInstall: !options.Has("no-install"),
            SkipRedis: options.Has("no-redis"),
            Connections: options.GetInt("connections", DefaultConnections, 1, 64),
            RedisThreads: options.GetInt("redis-threads", 0, 0, 256),
            ServerInThisBinary: (options.Value("server-process") ?? "dotnet") switch
            {
                "dotnet" => false,
                "self" => true,
                var other => throw new UsageException($"--server-process is dotnet or self, not '{other}'"),
            },
            WarmupSeconds: options.GetInt("warmup", quick ? 1 : 2, 0, 600),
            Rounds: options.GetInt("rounds", quick ? 1 : 3, 1, 100));
    }

    public string Describe() =>
        $"keys {Keys}, value {ValueBytes} B, requests {Requests} per op and depth, clients {Clients}, depths {string.Join(",", Depths)}, " +
        $"Store connections {Connections}, redis-benchmark threads {(RedisThreads == 0 ? "1 (default)" : RedisThreads)}, rounds {Rounds}{(Quick ? ", quick" : "")}";
}
