using Store.Bench.Cli;

namespace Store.Bench.Suites.Cache;

/// <summary>Settings of the cache suite: sizes, graph parameters, the false-hit budget and where the database goes.</summary>
internal sealed record CacheSettings(bool Quick, int Entries, int Dimension, int QueriesPerCategory, int M, int EfConstruction, int EfSearch, double FalseHitBudget, int Seed, string WorkDirectory)
{
    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("entries", "N", "cached entries (default 1,000,000; quick 100,000)"),
        new("queries", "N", "queries per category in each of the calibration and evaluation sets (default 4,000; quick 2,000)"),
        new("m", "N", "HNSW M (default 16)"),
        new("ef-construction", "N", "HNSW efConstruction (default 100)"),
        new("ef-search", "N", "HNSW efSearch (default 32; 64 buys 1.9 points of hit rate at 1M for 1.4x the in-process p99: docs/cache.md, Measured)"),
        new("budget", "RATE", "false hits allowed per lookup when choosing thresholds (default 0.02)"),
        new("seed", "N", "generator seed (default 2024)"),
        new("dir", "DIR", "where the database is created (default: the system temp folder); deleted afterwards"),
    ];

    public static CacheSettings From(SuiteContext context)
    {
        ParsedOptions o = context.Options;
        bool quick = context.Quick;
        return new CacheSettings(
            quick,
            o.GetInt("entries", quick ? 100_000 : 1_000_000, 1_000, 20_000_000),
            384,
            o.GetInt("queries", quick ? 2_000 : 4_000, 100, 1_000_000),
            o.GetInt("m", 16, 4, 128),
            o.GetInt("ef-construction", 100, 16, 4096),
            o.GetInt("ef-search", 32, 1, 4096),
            o.GetDouble("budget", 0.02, 0, 1),
            o.GetInt("seed", 2024, 0, int.MaxValue),
            o.Value("dir") ?? Path.GetTempPath());
    }

    public string Describe() =>
        $"mode={(Quick ? "quick" : "full")} entries={Entries} dim={Dimension} queries/category={QueriesPerCategory} (calibration and evaluation each) " +
        $"hnsw M={M} efConstruction={EfConstruction} efSearch={EfSearch} candidates=8 false-hit budget={FalseHitBudget} seed={Seed}";
}
