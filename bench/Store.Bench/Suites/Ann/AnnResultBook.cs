namespace Store.Bench.Suites.Ann;

/// <summary>
/// One setting of one system: recall@10 (strict; with ties where the suite computed it), queries per
/// second with 1 and 2 threads, latency quantiles where measured per query (Store and the harness
/// check), and a note. Null: the system does not report it.
/// </summary>
internal sealed record AnnPoint(
    string System,
    string Setting,
    double Recall,
    double? RecallWithTies,
    double Qps1,
    double? Qps2,
    double? P50Microseconds,
    double? P99Microseconds,
    string Note = "");

/// <summary>
/// A system's build time (the index build: Store's BuildIndex, SPTAG's build stages, hnswlib's
/// add_items), memory (RSS growth as that system allows measuring it) and bytes on disk, each with how
/// it was obtained.
/// </summary>
internal sealed record AnnSystemFigures(
    string System,
    double? BuildSeconds,
    string BuildNote,
    long? RssGrowthBytes,
    string RssNote,
    long? DiskBytes,
    string DiskNote);

/// <summary>Everything one run measured, for the closing tables and the result lines.</summary>
internal sealed class AnnResultBook
{
    private readonly List<AnnPoint> _points = [];
    private readonly List<AnnSystemFigures> _systems = [];

    public IReadOnlyList<AnnPoint> Points => _points;

    public IReadOnlyList<AnnSystemFigures> Systems => _systems;

    public void Add(AnnPoint point) => _points.Add(point);

    public void Add(AnnSystemFigures figures) => _systems.Add(figures);

    public AnnSystemFigures? Figures(string system) => _systems.LastOrDefault(s => s.System == system);

    /// <summary>The setting of <paramref name="system"/> with the highest 1-thread QPS among those with recall@10 &gt;= <paramref name="minRecall"/>.</summary>
    public AnnPoint? FastestAtRecall(string system, double minRecall) =>
        _points.Where(p => p.System == system && p.Recall >= minRecall).MaxBy(p => p.Qps1);

    /// <summary>The setting of <paramref name="system"/> with the best recall@10 (the faster one among equals).</summary>
    public AnnPoint? BestRecall(string system) =>
        _points.Where(p => p.System == system).OrderByDescending(p => p.Recall).ThenByDescending(p => p.Qps1).FirstOrDefault();
}
