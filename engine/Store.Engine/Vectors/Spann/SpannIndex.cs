using System.Collections.Concurrent;

namespace Store.Vectors;

/// <summary>
/// A SPANN index that takes updates in place (SPFresh's LIRE): heads (codes and their HNSW), the list
/// directory and the version map in memory, posting lists on disk as chains of blocks read with
/// O_DIRECT. Vectors have dense internal ids; those below <see cref="BuiltCount"/> came from the build
/// in ascending external-id order. Searches run on any number of threads, concurrently with one
/// writer (inserts and deletes, serialised by the caller) and the background maintenance
/// (<see cref="SpannMaintenance"/>: splits, reassignment, merges).
/// </summary>
internal sealed partial class SpannIndex : IDisposable
{
    public const string StateFile = "spann.heads";
    public const string GraphFilePrefix = "spann.graph.";
    public const string PostingsFile = "spann.postings";

    private const int LockStripes = 256;

    // The head graph's reachability is checked (and repaired) once heads added since the last check
    // reach HeadCount / this: after every split up to this many heads, amortized above.
    private const int ReachabilityCheckHeads = 16_384;

    // Head searches a search repeats at most when heads it chose were split or merged away meanwhile.
    private const int MaxSearchAttempts = 4;

    private readonly ConcurrentBag<PostingReadContext> _contexts = [];
    private readonly object[] _listLocks = new object[LockStripes];
    private readonly object _headLock = new();

    // Searches hold it for reading; reclaiming freed blocks takes it for writing once, as a barrier.
    private readonly ReaderWriterLockSlim _searchGate = new(LockRecursionPolicy.SupportsRecursion);

    private readonly HeadTable _heads;
    private long _generation;

    // Heads added since the head graph's reachability was last checked (maintenance thread, StepLock held).
    private int _headsSinceReachabilityCheck;
    private long _headLinksRepaired;

    private SpannIndex(string directory, VectorSpace space, SpannOptions options, int builtCount, VersionMap versions, CodeStore headCodes, HeadTable heads, HnswGraph graph, PostingStore store, long generation)
    {
        DirectoryPath = directory;
        Space = space;
        Options = options;
        BuiltCount = builtCount;
        Versions = versions;
        HeadCodes = headCodes;
        _heads = heads;
        Graph = graph;
        Store = store;
        _generation = generation;
        for (int i = 0; i < LockStripes; i++)
        {
            _listLocks[i] = new object();
        }

        Maintenance = new SpannMaintenance(this);
    }

    public string DirectoryPath { get; }

    public VectorSpace Space { get; }

    public SpannOptions Options { get; }

    /// <summary>Vectors of the build (internal ids below this, in ascending external-id order).</summary>
    public int BuiltCount { get; }

    /// <summary>Version and deleted bit of every internal id.</summary>
    public VersionMap Versions { get; }

    public CodeStore HeadCodes { get; }

    /// <summary>Heads so far (removed ones included: their graph node is marked deleted, their list null).</summary>
    public int HeadCount => HeadCodes.Count;

    /// <summary>Heads still in use.</summary>
    public int LiveHeadCount => HeadCount - Graph.DeletedCount;

    public HnswGraph Graph { get; }

    public PostingStore Store { get; }

    public SpannMaintenance Maintenance { get; }

    /// <summary>Links the reachability repair added to the head graph since the index was opened.</summary>
    public long HeadLinksRepaired => Interlocked.Read(ref _headLinksRepaired);

    /// <summary>True if posting reads bypass the page cache (O_DIRECT).</summary>
    public bool DirectReads => Store.File.IsDirect;

    /// <summary>Bytes the index holds in memory (heads, graph, directory, versions), read buffers excluded.</summary>
    public long MemoryBytes
    {
        get
        {
            long directory = 0;
            for (int h = 0; h < HeadCount; h++)
            {
                directory += 12 + (ListOf(h) is { } list ? 32 + (list.Blocks.Length * 4L) : 0);
            }

            return HeadCodes.MemoryBytes + Graph.MemoryBytes + directory + Versions.MemoryBytes + (HeadCount * sizeof(int));
        }
    }

    /// <summary>The list of head <paramref name="head"/> (null once the head was split or merged away).</summary>
    public PostingList? ListOf(int head) => _heads.ListOf(head);

    /// <summary>The internal vector id a head stands for (a result of searches), or -1 for a routing-only head made by a split.</summary>
    public int HeadVectorOf(int head) => _heads.VectorOf(head);

    /// <summary>Opens an index written by <see cref="Build"/> and later checkpoints; also returns the external id of every internal id.</summary>
    public static SpannIndex Open(string directory, VectorSpace space, SpannOptions options, out long[] externalIds)
    {
        SpannState state = SpannState.Read(System.IO.Path.Combine(directory, StateFile), space);
        externalIds = state.ExternalIds;
        var headCodes = new CodeStore(space.CodeSize, state.HeadVectors.Length);
        for (int h = 0; h < state.HeadVectors.Length; h++)
        {
            state.HeadCodes.AsSpan(h * space.CodeSize, space.CodeSize).CopyTo(headCodes.Writable(h));
        }

        headCodes.Publish(state.HeadVectors.Length);
        string graphPath = System.IO.Path.Combine(directory, GraphFilePrefix + state.Generation);
        HnswGraph graph = HnswGraph.Load(graphPath, space, headCodes, options.HeadGraph);
        if (graph.NodeCount != state.HeadVectors.Length)
        {
            throw new StoreCorruptionException(graphPath, 0, $"{graph.NodeCount} graph nodes for {state.HeadVectors.Length} heads; rebuild the index");
        }

        PostingStore store = PostingStore.Open(System.IO.Path.Combine(directory, PostingsFile), space, state.Lists.Where(l => l is not null).SelectMany(l => l!.Blocks));
        foreach (PostingList? list in state.Lists)
        {
            if (list is not null && (list.Count > list.Blocks.Length * store.Layout.Capacity || (list.Blocks.Length > 0 && list.Count <= (list.Blocks.Length - 1) * store.Layout.Capacity)))
            {
                store.Dispose();
                throw new StoreCorruptionException(System.IO.Path.Combine(directory, StateFile), 0, $"a list of {list.Count} entries in {list.Blocks.Length} blocks; rebuild the index");
            }
        }

        var table = new HeadTable(state.HeadVectors.Length);
        for (int h = 0; h < state.HeadVectors.Length; h++)
        {
            table.SetList(h, state.Lists[h]);
            table.SetVector(h, state.HeadVectors[h]);
        }

        var index = new SpannIndex(directory, space, options, state.BuiltCount, state.Versions, headCodes, table, graph, store, state.Generation);
        index.Maintenance.Start();
        return index;
    }

    /// <summary>
    /// Makes the index durable as it is now: the posting file is fsynced, the head graph and then the
    /// state (heads, directory, versions, <paramref name="externalIds"/>) written whole and renamed into
    /// place; blocks freed before become reusable. The caller keeps writes out meanwhile; maintenance
    /// pauses for it.
    /// </summary>
    public void Checkpoint(ReadOnlySpan<long> externalIds)
    {
        lock (Maintenance.StepLock)
        {
            Maintenance.ThrowIfFailed();
            KeepHeadsReachable(force: true);
            Store.Flush();
            long next = _generation + 1;
            int heads = HeadCount;
            Graph.Save(System.IO.Path.Combine(DirectoryPath, GraphFilePrefix + next));
            var state = new SpannState(
                next,
                BuiltCount,
                VersionMap.FromBytes(Versions.Snapshot()),
                externalIds[..Versions.Count].ToArray(),
                [.. Enumerable.Range(0, heads).Select(HeadVectorOf)],
                HeadCodesBytes(heads),
                [.. Enumerable.Range(0, heads).Select(ListOf)]);
            state.Write(System.IO.Path.Combine(DirectoryPath, StateFile), Space);
            File.Delete(System.IO.Path.Combine(DirectoryPath, GraphFilePrefix + _generation));
            _generation = next;
            Store.CheckpointDurable();
        }
    }

    public void Dispose()
    {
        Maintenance.Dispose();
        while (_contexts.TryTake(out PostingReadContext? context))
        {
            context.Dispose();
        }

        Store.Dispose();
        _searchGate.Dispose();
    }

    /// <summary>Waits until no search that began before this call is still running (freed blocks may then be reused).</summary>
    internal void DrainSearches()
    {
        _searchGate.EnterWriteLock();
        _searchGate.ExitWriteLock();
    }

    private object LockOf(int head) => _listLocks[head & (LockStripes - 1)];

    private byte[] HeadCodesBytes(int heads)
    {
        var bytes = new byte[heads * Space.CodeSize];
        for (int h = 0; h < heads; h++)
        {
            HeadCodes[h].CopyTo(bytes.AsSpan(h * Space.CodeSize));
        }

        return bytes;
    }

    /// <summary>Publishes the list of a head (caller holds its lock).</summary>
    private void PublishList(int head, PostingList? list) => _heads.SetList(head, list);

    /// <summary>Adds a head (maintenance thread only): its code, the vector it stands for, its list; then links it into the graph.</summary>
    private int AddHead(ReadOnlySpan<byte> code, int headVector, PostingList list)
    {
        int head;
        lock (_headLock)
        {
            head = HeadCodes.Count;
            _heads.Ensure(head + 1);
            _heads.SetVector(head, headVector);
            _heads.SetList(head, list);
            HeadCodes.Append(code);
        }

        Graph.Insert(head);
        _headsSinceReachabilityCheck++;
        return head;
    }

    /// <summary>
    /// Keeps every live head findable: an insert into the head graph may prune the last link into an
    /// older head (its list then unreachable to searches and inserts alike), so after heads were added
    /// the graph's reachability is checked and repaired (<see cref="HnswGraph.RepairReachability"/>):
    /// after every step while the graph is small, every HeadCount / 16,384 added heads above that, and
    /// always when <paramref name="force"/> (checkpoints). Maintenance thread or StepLock held.
    /// </summary>
    internal void KeepHeadsReachable(bool force)
    {
        int added = _headsSinceReachabilityCheck;
        if (added == 0 || (!force && (long)added * ReachabilityCheckHeads < HeadCount))
        {
            return;
        }

        _headsSinceReachabilityCheck = 0;
        Interlocked.Add(ref _headLinksRepaired, Graph.RepairReachability());
    }
}
