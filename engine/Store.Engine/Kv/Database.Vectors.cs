using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Store.Storage;
using Store.Vectors;

namespace Store.Kv;

public sealed partial class Database
{
    private const string VectorsFolder = "vectors";
    private const string CollectionFile = "collection";
    private const uint CollectionFormatVersion = 2;

    /// <summary>Prefix of the engine's own keyspaces (hidden from <see cref="Keyspaces"/>, refused as user names).</summary>
    internal const string ReservedPrefix = "$";

    private readonly Dictionary<string, VectorCollection> _collections = new(StringComparer.Ordinal);
    private readonly Lock _collectionsLock = new();

    /// <summary>Names of the vector collections.</summary>
    public IReadOnlyList<string> VectorCollections
    {
        get
        {
            string root = System.IO.Path.Combine(Path, VectorsFolder);
            return !Directory.Exists(root) ? []
                : [.. Directory.GetDirectories(root).Where(d => File.Exists(System.IO.Path.Combine(d, CollectionFile))).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>Creates a vector collection (durably); its options are fixed from then on.</summary>
    /// <exception cref="ArgumentException">The name is not 1 to 64 letters, digits, '_', '-' or '.'.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    /// <exception cref="InvalidOperationException">A collection of that name exists.</exception>
    public VectorCollection CreateVectorCollection(string name, VectorCollectionOptions options)
    {
        CheckCollectionName(name);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        VectorSpace space = VectorSpace.Create(options.Dimension, options.Metric, options.ElementType, options.DimensionScales);
        ThrowIfDisposed();
        lock (_collectionsLock)
        {
            string directory = CollectionDirectory(name);
            if (File.Exists(System.IO.Path.Combine(directory, CollectionFile)))
            {
                throw new InvalidOperationException($"Vector collection '{name}' already exists; open it with GetVectorCollection(\"{name}\").");
            }

            Directory.CreateDirectory(directory);
            foreach (string stale in Directory.GetFiles(directory))
            {
                File.Delete(stale); // leftovers of a create that crashed before its description was written
            }

            VectorCollection collection = OpenCollection(name, directory, options, space);
            WriteCollectionFile(System.IO.Path.Combine(directory, CollectionFile), options);
            DirectorySync.Flush(System.IO.Path.Combine(Path, VectorsFolder));
            _collections[name] = collection;
            return collection;
        }
    }

    /// <summary>Returns the collection, loading its index on first use after open (not rebuilt).</summary>
    /// <exception cref="VectorCollectionNotFoundException">There is no collection of that name.</exception>
    public VectorCollection GetVectorCollection(string name) =>
        TryGetVectorCollection(name, out VectorCollection? collection) ? collection : throw new VectorCollectionNotFoundException(name);

    /// <summary>Looks a vector collection up (loading it on first use).</summary>
    public bool TryGetVectorCollection(string name, [NotNullWhen(true)] out VectorCollection? collection)
    {
        ArgumentNullException.ThrowIfNull(name);
        ThrowIfDisposed();
        lock (_collectionsLock)
        {
            if (_collections.TryGetValue(name, out collection))
            {
                return true;
            }

            if (!IsCollectionName(name))
            {
                return false;
            }

            string directory = CollectionDirectory(name);
            string file = System.IO.Path.Combine(directory, CollectionFile);
            if (!File.Exists(file))
            {
                return false;
            }

            VectorCollectionOptions options = ReadCollectionFile(file);
            collection = OpenCollection(name, directory, options, VectorSpace.Create(options.Dimension, options.Metric, options.ElementType, options.DimensionScales));
            _collections[name] = collection;
            return true;
        }
    }

    private VectorCollection OpenCollection(string name, string directory, VectorCollectionOptions options, VectorSpace space)
    {
        Keyspace records = GetOrCreateKeyspaceInternal($"{ReservedPrefix}vectors/{name}");
        Keyspace changed = GetOrCreateKeyspaceInternal($"{ReservedPrefix}vectors/{name}/changed");
        var collection = new VectorCollection(this, name, directory, options, space, records, changed);
        collection.Load();
        return collection;
    }

    /// <summary>At close: collections save what they keep in memory only.</summary>
    private void CloseCollections()
    {
        lock (_collectionsLock)
        {
            foreach (VectorCollection collection in _collections.Values)
            {
                try
                {
                    collection.Close();
                }
                catch (Exception e) when (e is IOException or StoreException)
                {
                    _logger.LogError(e, "Saving vector collection {Name} at close failed; the next open rebuilds what it kept in memory", collection.Name);
                }
            }

            _collections.Clear();
        }
    }

    private string CollectionDirectory(string name) => System.IO.Path.Combine(Path, VectorsFolder, name);

    private static bool IsCollectionName(string name) => CollectionName().IsMatch(name);

    private static void CheckCollectionName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsCollectionName(name))
        {
            throw new ArgumentException($"A vector collection name is 1 to 64 letters, digits, '_', '-' or '.' (not starting with '.'); got '{name}'.", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex CollectionName();

    private static void WriteCollectionFile(string path, VectorCollectionOptions o)
    {
        using var writer = new ChecksummedWriter(path, FileHeader.VectorCollectionMagic, CollectionFormatVersion, (ulong)o.Dimension);
        writer.WriteInt32((int)o.Metric);
        writer.WriteInt32((int)o.ElementType);
        writer.WriteInt32((int)o.Index);
        writer.WriteInt32(o.MaxPayloadBytes);
        WriteHnsw(writer, o.Hnsw);
        SpannOptions s = o.Spann;
        writer.WriteSingle((float)s.HeadRatio);
        writer.WriteInt32(s.ReplicaCount);
        writer.WriteInt32(s.CandidateHeads);
        writer.WriteSingle((float)s.RngFactor);
        writer.WriteInt32(s.MaxPostingVectors);
        writer.WriteInt32(s.KMeansK);
        writer.WriteInt32(s.KMeansIterations);
        writer.WriteSingle((float)s.BalanceFactor);
        writer.WriteInt64((long)s.Seed);
        WriteHnsw(writer, s.HeadGraph);
        writer.WriteInt32(s.SearchLists);
        writer.WriteSingle(s.SearchEpsilon);
        writer.WriteInt32(s.VerifyPostings ? 1 : 0);
        writer.WriteInt32(s.CompressPostings ? 1 : 0);
        float[] scales = o.DimensionScales ?? [];
        writer.WriteInt32(scales.Length);
        writer.Write<float>(scales);

        // Live-update knobs (issue 5), after the scales: files written before them end here.
        writer.WriteInt32(s.MergeThreshold);
        writer.WriteInt32(s.ReassignHeads);
        writer.WriteInt32(s.CheckpointChanges);
        writer.Commit();

        static void WriteHnsw(ChecksummedWriter w, HnswOptions h)
        {
            w.WriteInt32(h.M);
            w.WriteInt32(h.EfConstruction);
            w.WriteInt32(h.EfSearch);
            w.WriteInt64((long)h.Seed);
        }
    }

    private static VectorCollectionOptions ReadCollectionFile(string path)
    {
        using var r = new ChecksummedReader(path, FileHeader.VectorCollectionMagic, CollectionFormatVersion);
        int dimension = checked((int)r.Header.Value);
        var metric = (VectorMetric)r.ReadInt32();
        var elementType = (VectorElementType)r.ReadInt32();
        var index = (VectorIndexKind)r.ReadInt32();
        int maxPayload = r.ReadInt32();
        HnswOptions hnsw = ReadHnsw(r);
        // Fields are read in the order they were written (object initialisers evaluate in order).
        var spann = new SpannOptions
        {
            HeadRatio = r.ReadSingle(),
            ReplicaCount = r.ReadInt32(),
            CandidateHeads = r.ReadInt32(),
            RngFactor = r.ReadSingle(),
            MaxPostingVectors = r.ReadInt32(),
            KMeansK = r.ReadInt32(),
            KMeansIterations = r.ReadInt32(),
            BalanceFactor = r.ReadSingle(),
            Seed = (ulong)r.ReadInt64(),
            HeadGraph = ReadHnsw(r),
            SearchLists = r.ReadInt32(),
            SearchEpsilon = r.ReadSingle(),
            VerifyPostings = r.ReadInt32() != 0,
            CompressPostings = r.ReadInt32() != 0,
        };
        var scales = new float[r.ReadInt32(0, VectorSpace.MaxDimension, "the number of dimension scales")];
        r.Read<float>(scales);
        if (!r.AtEnd)
        {
            spann = new SpannOptions
            {
                HeadRatio = spann.HeadRatio,
                ReplicaCount = spann.ReplicaCount,
                CandidateHeads = spann.CandidateHeads,
                RngFactor = spann.RngFactor,
                MaxPostingVectors = spann.MaxPostingVectors,
                KMeansK = spann.KMeansK,
                KMeansIterations = spann.KMeansIterations,
                BalanceFactor = spann.BalanceFactor,
                Seed = spann.Seed,
                HeadGraph = spann.HeadGraph,
                SearchLists = spann.SearchLists,
                SearchEpsilon = spann.SearchEpsilon,
                VerifyPostings = spann.VerifyPostings,
                CompressPostings = spann.CompressPostings,
                MergeThreshold = r.ReadInt32(),
                ReassignHeads = r.ReadInt32(),
                CheckpointChanges = r.ReadInt32(),
            };
        }

        var options = new VectorCollectionOptions
        {
            Dimension = dimension,
            Metric = metric,
            ElementType = elementType,
            Index = index,
            MaxPayloadBytes = maxPayload,
            Hnsw = hnsw,
            Spann = spann,
            DimensionScales = scales.Length == 0 ? null : scales,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new StoreCorruptionException(path, 0, $"the stored options are invalid ({e.Message})");
        }

        return options;

        static HnswOptions ReadHnsw(ChecksummedReader r) => new() { M = r.ReadInt32(), EfConstruction = r.ReadInt32(), EfSearch = r.ReadInt32(), Seed = (ulong)r.ReadInt64() };
    }
}
