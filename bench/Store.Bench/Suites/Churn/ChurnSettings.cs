using System.Globalization;
using Store.Bench.Cli;

namespace Store.Bench.Suites.Churn;

/// <summary>Settings of the churn suite, from the command line.</summary>
internal sealed record ChurnSettings(bool Quick, int Vectors, int Queries, int Checkpoints, int Searchers, int MaxPosting, string Source, string WorkDirectory, int Seed)
{
    public const string DefaultSource = "/usr/share/datasets/fashion-mnist";

    /// <summary>Share of the vectors the index is built on; the rest are streamed in.</summary>
    public const double BuildShare = 0.5;

    /// <summary>Share of all vectors deleted while streaming.</summary>
    public const double DeleteShare = 0.2;

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("vectors", "N", "fashion-mnist training vectors used (default all 60,000; quick 20,000)"),
        new("queries", "N", "test vectors used as queries (default 1,000; quick 300)"),
        new("points", "N", "recall measurements over the stream (default 8; quick 4)"),
        new("searchers", "N", "threads searching throughout the stream (default 1; 0 measures writes alone)"),
        new("max-posting", "N", "SpannOptions.MaxPostingVectors of both indexes (default 256, the engine's; smaller lists make the stream split them)"),
        new("source", "DIR", $"fashion-mnist IDX files (default {DefaultSource}, Debian package dataset-fashion-mnist)"),
        new("dir", "DIR", "where the databases are created (default: the system temp folder); deleted afterwards"),
        new("seed", "N", "seed of the stream's order (default 5)"),
    ];

    public static ChurnSettings From(SuiteContext context)
    {
        var o = context.Options;
        bool quick = context.Quick;
        return new ChurnSettings(
            quick,
            o.GetInt("vectors", quick ? 20_000 : 60_000, 1_000, 60_000),
            o.GetInt("queries", quick ? 300 : 1_000, 10, 10_000),
            o.GetInt("points", quick ? 4 : 8, 1, 100),
            o.GetInt("searchers", 1, 0, 16),
            o.GetInt("max-posting", new Store.Vectors.SpannOptions().MaxPostingVectors, 8, 65_536),
            Path.GetFullPath(o.Value("source") ?? DefaultSource),
            Path.GetFullPath(o.Value("dir") ?? Path.GetTempPath()),
            o.GetInt("seed", 5, 0, int.MaxValue));
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"quick={Quick} vectors={Vectors} (build on {BuildShare:P0}, stream the rest, delete {DeleteShare:P0} of all) queries={Queries} points={Checkpoints} searchers={Searchers} max-posting={MaxPosting} source={Source} dir={WorkDirectory} seed={Seed}");
}
