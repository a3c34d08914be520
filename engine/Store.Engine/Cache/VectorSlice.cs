using System.Collections.Concurrent;
using Store.Vectors;

namespace Store.Cache;

/// <summary>
/// The vectors of one partition and category, and nothing else: a lookup searches only its own
/// slice, so isolation between partitions is structural (no filter to get wrong). A slice starts as
/// an exact scan over a compact array and gets its own HNSW once it holds
/// <see cref="SemanticCacheOptions.GraphThreshold"/> vectors. Appends are serialised by the slice's
/// lock; searches take no lock (arrays grow by copy, published before the count that covers them).
/// </summary>
internal sealed partial class VectorSlice
{
    private readonly VectorSpace _space;
    private readonly HnswOptions _hnsw;
    private readonly int _graphThreshold;
    private readonly Lock _lock = new();
    private CachedEntry[] _entries = new CachedEntry[4];
    private byte[] _flat;
    private int _count;
    private int _live;
    private CodeStore? _codes;
    private HnswGraph? _graph;

    public VectorSlice(string partitionKey, string category, VectorSpace space, HnswOptions hnsw, int graphThreshold)
    {
        PartitionKey = partitionKey;
        Category = category;
        _space = space;
        _hnsw = hnsw;
        _graphThreshold = graphThreshold;
        _flat = new byte[4 * space.CodeSize];
    }

    public string PartitionKey { get; }

    public string Category { get; }

    /// <summary>Entries by exact prompt key.</summary>
    public ConcurrentDictionary<UInt128, CachedEntry> Exact { get; } = new();

    /// <summary>Vectors added, removed ones included.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Vectors not removed.</summary>
    public int Live => Volatile.Read(ref _live);

    /// <summary>True once the slice searches through its own HNSW.</summary>
    public bool HasGraph => Volatile.Read(ref _graph) is not null;

    public CachedEntry EntryAt(int node) => Volatile.Read(ref _entries)[node];

    /// <summary>
    /// Adds an entry with its encoded vector; returns the entry its prompt key replaces, if any (the
    /// caller removes it). Linking into the graph happens after the lock, so slices build in parallel.
    /// </summary>
    public CachedEntry? Add(CachedEntry entry, ReadOnlySpan<byte> code)
    {
        int node;
        HnswGraph? graph;
        CachedEntry? replaced;
        lock (_lock)
        {
            node = _count;
            CachedEntry[] entries = _entries;
            if (node == entries.Length)
            {
                Array.Resize(ref entries, node * 2);
                Volatile.Write(ref _entries, entries);
            }

            entries[node] = entry;
            entry.Node = node;
            graph = _graph;
            if (graph is null)
            {
                byte[] flat = _flat;
                int size = _space.CodeSize;
                if ((node + 1) * size > flat.Length)
                {
                    Array.Resize(ref flat, Math.Min(flat.Length * 2, _graphThreshold * size));
                    Volatile.Write(ref _flat, flat);
                }

                code[..size].CopyTo(flat.AsSpan(node * size));
                Volatile.Write(ref _count, node + 1);
                if (node + 1 >= _graphThreshold)
                {
                    BuildGraph(node + 1);
                }
            }
            else
            {
                _codes!.Append(code);
                Volatile.Write(ref _count, node + 1);
            }

            Interlocked.Increment(ref _live);
            Exact.TryGetValue(entry.PromptKey, out replaced);
            Exact[entry.PromptKey] = entry;
        }

        graph?.Insert(node);
        return replaced;
    }

    /// <summary>Takes a removed entry out of the searches (the graph keeps it as a waypoint).</summary>
    public void Remove(CachedEntry entry)
    {
        Exact.TryRemove(new KeyValuePair<UInt128, CachedEntry>(entry.PromptKey, entry));
        Interlocked.Decrement(ref _live);
        HnswGraph? graph = Volatile.Read(ref _graph);
        if (graph is not null && entry.Node >= 0 && entry.Node < graph.NodeCount)
        {
            graph.MarkDeleted(entry.Node);
        }

        // A node still being linked is not marked; searches skip removed entries themselves too.
    }

    /// <summary>Moves the slice from exact scans to its own HNSW (under the lock; searches go on against the scan).</summary>
    private void BuildGraph(int count)
    {
        int size = _space.CodeSize;
        var codes = new CodeStore(size);
        var graph = new HnswGraph(_space, codes, _hnsw);
        for (int id = 0; id < count; id++)
        {
            codes.Append(_flat.AsSpan(id * size, size));
            graph.Insert(id);
            if (_entries[id].IsRemoved)
            {
                graph.MarkDeleted(id);
            }
        }

        _codes = codes;
        Volatile.Write(ref _graph, graph);
        Volatile.Write(ref _flat, []);
    }
}
