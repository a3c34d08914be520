using System.Globalization;
using Store.Bench.Cli;

namespace Store.Bench.Suites.Ann;

/// <summary>Settings of the ann suite: data set, query count, which subjects and peers run, where data and indexes go.</summary>
internal sealed record AnnSettings(
    bool Quick,
    string Dataset,
    int? Queries,
    IReadOnlyList<string> Subjects,
    IReadOnlyList<string> Peers,
    string DataDirectory,
    string WorkDirectory,
    string? SharedPeers,
    bool AllowInstall,
    bool SptagRebuild,
    ulong Seed)
{
    public const string FashionMnist = "fashion-mnist";
    public const string Clustered1M = "clustered-1m";
    public const string StoreSubject = "store";
    public const string ExactSubject = "exact";
    public const string SptagPeer = "sptag";
    public const string HnswlibPeer = "hnswlib";

    /// <summary>Queries of fashion-mnist's 10,000 used with --quick.</summary>
    public const int FashionMnistQuickQueries = 2_000;

    /// <summary>Queries generated for clustered-1m (ground truth covers all), and the part used with --quick.</summary>
    public const int ClusteredQueries = 1_000;

    public const int ClusteredQuickQueries = 200;

    public const ulong DefaultSeed = 20_261_122;

    public static IReadOnlyList<string> DatasetNames { get; } = [FashionMnist, Clustered1M];

    public static IReadOnlyList<string> SubjectNames { get; } = [StoreSubject, ExactSubject];

    public static IReadOnlyList<string> PeerNames { get; } = [SptagPeer, HnswlibPeer];

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("dataset", "NAME", $"{FashionMnist} (default; Store vs SPTAG SPANN and hnswlib) or {Clustered1M} (1M x 128 generated; Store HNSW and SPANN vs hnswlib)"),
        new("queries", "N", $"queries used (default all: 10,000 / {ClusteredQueries}; quick {FashionMnistQuickQueries} / {ClusteredQuickQueries})"),
        new("subjects", "LIST", $"in-process subjects: {StoreSubject} (Store's collections), {ExactSubject} (brute force, checks the harness); default {StoreSubject} once it is compiled in, else {ExactSubject}"),
        new("peers", "LIST", $"peers to run: {SptagPeer} (fashion-mnist only), {HnswlibPeer}, or none; default both"),
        new("data", "DIR", "data directory: vectors, ground truth, SPTAG's cached index and build time (default: <temp>/store-bench-ann/<dataset>)"),
        new("dir", "DIR", "where the subjects' databases are created (default: the system temp folder); each is deleted afterwards"),
        new("shared-peers", "DIR", "the shared peer scripts (default: ../shared/peers beside the repository)"),
        new("no-install", null, "never run the shared install.sh when a peer package is missing"),
        new("sptag-rebuild", null, "rebuild SPTAG's index (and re-time it) even if a cached one exists"),
        new("seed", "N", $"seed of the {Clustered1M} generator (default {DefaultSeed})"),
    ];

    public static AnnSettings From(SuiteContext context)
    {
        var options = context.Options;
        string dataset = options.Value("dataset") ?? FashionMnist;
        if (!DatasetNames.Contains(dataset))
        {
            throw new UsageException($"unknown dataset '{dataset}' (known: {string.Join(',', DatasetNames)})");
        }

        var subjects = Known(options.GetList("subjects") ?? [AnnSubjects.StoreCompiledIn ? StoreSubject : ExactSubject], SubjectNames, "subject");
        if (subjects.Contains(StoreSubject) && !AnnSubjects.StoreCompiledIn)
        {
            throw new UsageException($"the Store subject is not compiled in yet (define STORE_VECTORS_READY, see StoreAnnSubject.cs); use --subjects {ExactSubject}");
        }

        var peerList = options.GetList("peers");
        var peers = peerList is ["none"] ? [] : Known(peerList ?? PeerNames, PeerNames, "peer");
        if (dataset == Clustered1M)
        {
            peers = [.. peers.Where(p => p != SptagPeer)];
        }

        int maxQueries = dataset == FashionMnist ? 10_000 : ClusteredQueries;
        int? queries = options.Value("queries") is null ? null : options.GetInt("queries", 0, 1, maxQueries);
        string seedText = options.Value("seed") ?? DefaultSeed.ToString(CultureInfo.InvariantCulture);
        if (!ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
        {
            throw new UsageException($"option '--seed' needs a non-negative integer, got '{seedText}'");
        }

        return new AnnSettings(
            context.Quick,
            dataset,
            queries,
            subjects,
            peers,
            Path.GetFullPath(options.Value("data") ?? Path.Combine(Path.GetTempPath(), "store-bench-ann", dataset)),
            Path.GetFullPath(options.Value("dir") ?? Path.GetTempPath()),
            options.Value("shared-peers"),
            !options.Has("no-install"),
            options.Has("sptag-rebuild"),
            seed);
    }

    /// <summary>The number of queries this run uses.</summary>
    public int QueryCount => Queries ?? (Dataset == FashionMnist
        ? (Quick ? FashionMnistQuickQueries : 10_000)
        : (Quick ? ClusteredQuickQueries : ClusteredQueries));

    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"mode={(Quick ? "quick" : "full")} dataset={Dataset} queries={QueryCount} subjects={string.Join(',', Subjects)} " +
        $"peers={(Peers.Count > 0 ? string.Join(',', Peers) : "none")} data={DataDirectory} dir={WorkDirectory}{(Dataset == Clustered1M ? " seed=" + Seed.ToString(CultureInfo.InvariantCulture) : "")}");

    private static IReadOnlyList<string> Known(IReadOnlyList<string> given, IReadOnlyList<string> known, string what)
    {
        foreach (string name in given)
        {
            if (!known.Contains(name))
            {
                throw new UsageException($"unknown {what} '{name}' (known: {string.Join(',', known)})");
            }
        }

        return [.. known.Where(given.Contains)];
    }
}
