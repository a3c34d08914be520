namespace Store.Bench.Suites.Ann;

/// <summary>The search settings swept, in one place. Cheapest first: the first one also serves the warm-up pass.</summary>
internal static class AnnSweeps
{
    /// <summary>
    /// SPANN posting lists read per query (<c>VectorSearchOptions.Lists</c>), finer around recall 0.95.
    /// Ef (heads taken from the head graph) is the collection's default (16), widened by the engine to
    /// the lists read; the last setting also widens it to 128.
    /// </summary>
    public static IReadOnlyList<AnnSetting> StoreSpann { get; } =
    [
        new("Lists=2", Lists: 2),
        new("Lists=4", Lists: 4),
        new("Lists=6", Lists: 6),
        new("Lists=7", Lists: 7),
        new("Lists=8", Lists: 8),
        new("Lists=10", Lists: 10),
        new("Lists=12", Lists: 12),
        new("Lists=16", Lists: 16),
        new("Lists=32", Lists: 32),
        new("Lists=64 Ef=128", Lists: 64, Ef: 128),
    ];

    /// <summary>HNSW beam width per query (<c>VectorSearchOptions.Ef</c>), the same values as hnswlib's sweep.</summary>
    public static IReadOnlyList<AnnSetting> StoreHnsw { get; } =
        [.. HnswlibEfs.Select(ef => new AnnSetting($"ef={ef}", Ef: ef))];

    /// <summary>hnswlib's ef sweep (M and efConstruction below, as the shared ann_peers.py uses them).</summary>
    public static IReadOnlyList<int> HnswlibEfs => [10, 20, 40, 80, 160];

    public const int HnswM = 16;

    public const int HnswEfConstruction = 200;
}
