namespace Store.Bench.Suites.Ann;

/// <summary>
/// A system the suite builds and searches in this process: Store's collections, or the exact
/// brute-force subject that checks the harness itself. The suite calls <see cref="Build"/> (which
/// persists and closes), then <see cref="Open"/> on a fresh instance state (the memory measured from
/// just before it), then searches through one <see cref="IAnnSearcher"/> per thread.
/// </summary>
internal interface IAnnSubject : IDisposable
{
    /// <summary>The name in tables, e.g. "Store SPANN" or "exact (harness check)".</summary>
    string Name { get; }

    /// <summary>True for Store's own collections: only they produce the suite's <c>result</c> lines under the plain names.</summary>
    bool IsStore { get; }

    /// <summary>One line on the configuration, for the result file.</summary>
    string Describe();

    /// <summary>The settings searched, in order (cheapest first); the first is also the warm-up's.</summary>
    IReadOnlyList<AnnSetting> Sweep { get; }

    /// <summary>Creates the index in <paramref name="directory"/> from <paramref name="data"/>, persists it and closes it.</summary>
    AnnBuildTimes Build(AnnDataset data, string directory, Action<string> progress);

    /// <summary>Opens what <see cref="Build"/> left in <paramref name="directory"/>, ready to search.</summary>
    void Open(string directory);

    /// <summary>A searcher for one thread, with its own buffers.</summary>
    IAnnSearcher CreateSearcher();

    /// <summary>What the opened subject says about its own memory or reads (shown beside the measured RSS), or null.</summary>
    string? MemoryNote() => null;
}

/// <summary>One thread's handle for searching an opened subject.</summary>
internal interface IAnnSearcher
{
    /// <summary>Writes the ids of the <paramref name="k"/> nearest, nearest first, into <paramref name="ids"/>; returns how many.</summary>
    int Search(float[] query, int k, AnnSetting setting, Span<long> ids);
}

/// <summary>A search setting of a sweep: a label for the table and the knobs it sets (null: the subject's default).</summary>
internal sealed record AnnSetting(string Label, int? Lists = null, int? Ef = null);

/// <summary>
/// Build times: <see cref="Load"/> adds the vectors (Store: into the collection's keyspace, durable),
/// <see cref="Index"/> builds the index (Store: <c>BuildIndex</c>). <see cref="LoadBuildsIndex"/>: the
/// index grows while vectors are added (Store's HNSW links each vector on Add; its BuildIndex only
/// saves the graph), so the build figure compared with the peers is load + index; else index alone.
/// </summary>
internal sealed record AnnBuildTimes(TimeSpan Load, TimeSpan Index, bool LoadBuildsIndex = false)
{
    public TimeSpan Build => LoadBuildsIndex ? Load + Index : Index;
}
