using Store.Bench.Cli;

namespace Store.Bench.Suites.Server;

/// <summary>Settings of the server suite, from its command line.</summary>
internal sealed record ServerSettings(bool Quick, int Keys, int Requests, int Clients, IReadOnlyList<int> Depths, int ValueBytes, bool AllowInstall, bool SkipRedis)
{
    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("requests", "N", "requests per operation and pipeline depth (default 500000; --quick 100000)"),
        new("clients", "N", "concurrent callers (default 50, as redis-benchmark -c)"),
        new("depths", "LIST", "pipeline depths (default 1,16)"),
        new("no-install", null, "do not run ../shared/peers/install.sh when redis is missing"),
        new("no-redis", null, "measure Store only"),
    ];

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
            SkipRedis: options.Has("no-redis"));
    }

    public string Describe() =>
        $"keys {Keys}, value {ValueBytes} B, requests {Requests} per op and depth, clients {Clients}, depths {string.Join(",", Depths)}{(Quick ? ", quick" : "")}";
}
