using System.Diagnostics;
using System.Globalization;
using Store.Kv;
using Store.Vectors;

namespace Store.Bench.Suites.Ann;

/// <summary>Adds Store's collections to the subjects when this file is compiled in.</summary>
internal static partial class AnnSubjects
{
    static partial void StoreIsCompiledIn(ref bool compiledIn) => compiledIn = true;

    static partial void AddStoreSubjects(string dataset, List<IAnnSubject> subjects)
    {
        if (dataset == AnnSettings.FashionMnist)
        {
            subjects.Add(new StoreAnnSubject(
                "Store SPANN",
                new VectorCollectionOptions
                {
                    Dimension = 784,
                    Metric = VectorMetric.L2,
                    ElementType = VectorElementType.UInt8,
                    Index = VectorIndexKind.Spann,
                },
                AnnSweeps.StoreSpann));
        }
        else
        {
            subjects.Add(new StoreAnnSubject(
                "Store HNSW",
                new VectorCollectionOptions
                {
                    Dimension = 128,
                    Metric = VectorMetric.L2,
                    ElementType = VectorElementType.Float32,
                    Index = VectorIndexKind.Hnsw,
                    Hnsw = new HnswOptions { M = AnnSweeps.HnswM, EfConstruction = AnnSweeps.HnswEfConstruction },
                },
                AnnSweeps.StoreHnsw));
            subjects.Add(new StoreAnnSubject(
                "Store SPANN",
                new VectorCollectionOptions
                {
                    Dimension = 128,
                    Metric = VectorMetric.L2,
                    ElementType = VectorElementType.Float32,
                    Index = VectorIndexKind.Spann,
                },
                AnnSweeps.StoreSpann));

            // Half the bytes per head in memory (and per posting entry on disk); float16 keeps 11 bits of
            // mantissa, far below the distance gaps that decide a top-10.
            subjects.Add(new StoreAnnSubject(
                "Store SPANN f16",
                new VectorCollectionOptions
                {
                    Dimension = 128,
                    Metric = VectorMetric.L2,
                    ElementType = VectorElementType.Float16,
                    Index = VectorIndexKind.Spann,
                },
                AnnSweeps.StoreSpann));
        }
    }
}

/// <summary>
/// Store's vector collection (docs/vectors.md) as a subject: a database in the subject's directory
/// (default options), one collection, the base vectors added with AddRange (ids = row numbers), then
/// <c>BuildIndex</c>; the database is disposed. Open reopens the database and gets the collection
/// (loaded, not rebuilt). Each searcher fills its own VectorMatch buffer with the setting's Lists/Ef.
/// </summary>
internal sealed class StoreAnnSubject(string name, VectorCollectionOptions options, IReadOnlyList<AnnSetting> sweep) : IAnnSubject
{
    private const string CollectionName = "ann";

    private Database? _database;
    private VectorCollection? _collection;
    private long? _databaseOpenRss;
    private long? _collectionRss;

    public string Name => name;

    public bool IsStore => true;

    public IReadOnlyList<AnnSetting> Sweep => sweep;

    public string Describe() =>
        $"{name}: Store.Vectors collection, {options.Index} index, {options.ElementType} elements, {options.Metric}, dimension {options.Dimension}" +
        (options.Index == VectorIndexKind.Hnsw
            ? $", M={options.Hnsw.M} efConstruction={options.Hnsw.EfConstruction}"
            : string.Create(CultureInfo.InvariantCulture, $", heads {options.Spann.HeadRatio:0.##}, {options.Spann.ReplicaCount} replicas, postings <= {options.Spann.MaxPostingVectors}")) +
        "; default DatabaseOptions; ids = row numbers; searched after a reopen";

    public AnnBuildTimes Build(AnnDataset data, string directory, Action<string> progress)
    {
        using var database = Database.Open(directory);
        var collection = database.CreateVectorCollection(CollectionName, options);
        var report = new BuildProgress(progress);
        var ids = new long[data.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = i;
        }

        var clock = Stopwatch.StartNew();
        collection.AddRange(ids, data.Vectors, null, report);
        var load = clock.Elapsed;
        clock.Restart();
        collection.BuildIndex(report);
        return new AnnBuildTimes(load, clock.Elapsed, LoadBuildsIndex: options.Index == VectorIndexKind.Hnsw);
    }

    public void Open(string directory)
    {
        long? start = ProcessMemory.ResidentBytes();
        _database = Database.Open(directory);
        long? opened = ProcessMemory.ResidentBytes();
        _collection = _database.GetVectorCollection(CollectionName);
        _databaseOpenRss = opened - start;
        _collectionRss = ProcessMemory.ResidentBytes() - opened;
    }

    public IAnnSearcher CreateSearcher() => new Searcher(_collection ?? throw new InvalidOperationException("not open"));

    public string? MemoryNote() => _collection is { } c
        ? string.Create(
            CultureInfo.InvariantCulture,
            $"at open: Database.Open +{_databaseOpenRss / 1e6:0.0} MB, GetVectorCollection +{_collectionRss / 1e6:0.0} MB; " +
            $"the collection's own IndexMemoryBytes estimate: {c.IndexMemoryBytes / 1e6:0.0} MB") +
            (c.DirectReads is { } direct ? (direct ? "; postings read with O_DIRECT" : "; postings NOT read with O_DIRECT (page cache)") : "")
        : null;

    public void Dispose()
    {
        _collection = null;
        _database?.Dispose();
        _database = null;
    }

    private sealed class Searcher(VectorCollection collection) : IAnnSearcher
    {
        private readonly Dictionary<AnnSetting, VectorSearchOptions> _options = [];
        private VectorMatch[] _matches = [];

        public int Search(float[] query, int k, AnnSetting setting, Span<long> ids)
        {
            if (!_options.TryGetValue(setting, out var options))
            {
                options = new VectorSearchOptions { Lists = setting.Lists, Ef = setting.Ef };
                _options[setting] = options;
            }

            if (_matches.Length != k)
            {
                _matches = new VectorMatch[k];
            }

            int n = Math.Min(collection.Search(query, _matches, options), ids.Length);
            for (int i = 0; i < n; i++)
            {
                ids[i] = _matches[i].Id;
            }

            return n;
        }
    }

    /// <summary>Passes build progress on synchronously, a line per stage and at most one per 5 seconds within one.</summary>
    private sealed class BuildProgress(Action<string> report) : IProgress<VectorProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string? _stage;
        private TimeSpan _last;

        public void Report(VectorProgress value)
        {
            if (value.Stage != _stage || _clock.Elapsed - _last >= TimeSpan.FromSeconds(5) || (value.Total > 0 && value.Done == value.Total))
            {
                _stage = value.Stage;
                _last = _clock.Elapsed;
                report(string.Create(CultureInfo.InvariantCulture, $"{value.Stage} {value.Done}/{value.Total} at {_clock.Elapsed.TotalSeconds:0.0} s"));
            }
        }
    }
}
