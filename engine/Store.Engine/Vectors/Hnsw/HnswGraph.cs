using System.Runtime.CompilerServices;

namespace Store.Vectors;

/// <summary>
/// A hierarchical navigable small world graph (Malkov and Yashunin, 2018) over the codes of a
/// <see cref="CodeStore"/>, by dense internal id. Inserts may run concurrently with each other and with
/// searches: a node's links are written before any other node links to it, and a link list is changed
/// only under its node's (striped) lock, growing by writing the new id before the count; a reader that
/// races a rewrite sees ids that are all real nodes. Deleted nodes stay in the graph as waypoints and
/// are never returned.
/// </summary>
internal sealed partial class HnswGraph
{
    private const int MaxLevel = 16;
    private const int ChunkShift = 10;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    private const int LockStripes = 1024;

    private readonly VectorSpace _space;
    private readonly CodeStore _codes;
    private readonly double _levelScale;
    private readonly object[] _locks = [.. Enumerable.Range(0, LockStripes).Select(_ => new object())];
    private readonly object _entryLock = new();

    // Bottom-layer links: per node [count, id0 .. id(M0-1)], in chunks of ChunkSize nodes.
    private int[][] _bottom = [];

    // Upper-layer links: per node, [count, ids...] of M + 1 ints for each level above 0 (null for level-0 nodes).
    private int[]?[][] _upper = [];

    private byte[][] _levels = [];

    // Bottom-layer links into each node (see GuardLastLinks), in chunks of ChunkSize nodes.
    private int[][] _inDegree = [];
    private ulong[][] _deleted = [];
    private int _nodeCount;
    private int _deletedCount;

    // Entry point and top level, replaced together under _entryLock.
    private volatile EntryPoint? _entry;

    public HnswGraph(VectorSpace space, CodeStore codes, HnswOptions options)
    {
        _space = space;
        _codes = codes;
        Options = options;
        M = options.M;
        M0 = 2 * options.M;
        _levelScale = 1 / Math.Log(options.M);
    }

    public HnswOptions Options { get; }

    /// <summary>Most links per node above the bottom layer.</summary>
    public int M { get; }

    /// <summary>Most links per node on the bottom layer.</summary>
    public int M0 { get; }

    /// <summary>Nodes in the graph, deleted ones included.</summary>
    public int NodeCount => Volatile.Read(ref _nodeCount);

    /// <summary>Nodes marked deleted.</summary>
    public int DeletedCount => Volatile.Read(ref _deletedCount);

    /// <summary>Bytes of links and node state (codes are counted by their store).</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = (long)_bottom.Length * ChunkSize * (M0 + 1) * sizeof(int);
            bytes += (long)_levels.Length * ChunkSize * (1 + sizeof(int) + (IntPtr.Size * 2));
            foreach (int[]?[] chunk in _upper)
            {
                foreach (int[]? node in chunk)
                {
                    bytes += node is null ? 0 : node.Length * (long)sizeof(int);
                }
            }

            return bytes;
        }
    }

    public bool IsDeleted(int id) => (Volatile.Read(ref _deleted[id >> ChunkShift][(id & ChunkMask) >> 6]) & (1UL << (id & 63))) != 0;

    /// <summary>Marks a node deleted: searches pass through it but never return it. False if it already was.</summary>
    public bool MarkDeleted(int id)
    {
        ref ulong word = ref _deleted[id >> ChunkShift][(id & ChunkMask) >> 6];
        ulong bit = 1UL << (id & 63);
        ulong seen;
        do
        {
            seen = Volatile.Read(ref word);
            if ((seen & bit) != 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref word, seen | bit, seen) != seen);

        Interlocked.Increment(ref _deletedCount);
        return true;
    }

    public int LevelOf(int id) => _levels[id >> ChunkShift][id & ChunkMask];

    /// <summary>The link list of a node on a level: element 0 is the count, then the ids.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<int> Links(int id, int level) => level == 0
        ? _bottom[id >> ChunkShift].AsSpan((id & ChunkMask) * (M0 + 1), M0 + 1)
        : _upper[id >> ChunkShift][id & ChunkMask].AsSpan((level - 1) * (M + 1), M + 1);

    /// <summary>The level a node is drawn at: a pure function of the seed and its id, so builds repeat.</summary>
    private int DrawLevel(int id)
    {
        ulong z = Options.Seed + ((ulong)id * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double uniform = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return Math.Min(MaxLevel, (int)(-Math.Log(uniform) * _levelScale));
    }

    /// <summary>Makes room for node ids below <paramref name="count"/> (single caller at a time).</summary>
    private void EnsureNodes(int count)
    {
        int chunks = (count + ChunkMask) >> ChunkShift;
        if (chunks <= _bottom.Length)
        {
            return;
        }

        lock (_entryLock)
        {
            int have = _bottom.Length;
            if (chunks <= have)
            {
                return;
            }

            var bottom = new int[chunks][];
            var upper = new int[]?[chunks][];
            var levels = new byte[chunks][];
            var deleted = new ulong[chunks][];
            var inDegree = new int[chunks][];
            _bottom.CopyTo(bottom, 0);
            _upper.CopyTo(upper, 0);
            _levels.CopyTo(levels, 0);
            _deleted.CopyTo(deleted, 0);
            _inDegree.CopyTo(inDegree, 0);
            for (int c = have; c < chunks; c++)
            {
                bottom[c] = new int[ChunkSize * (M0 + 1)];
                upper[c] = new int[]?[ChunkSize];
                levels[c] = new byte[ChunkSize];
                deleted[c] = new ulong[ChunkSize / 64];
                inDegree[c] = new int[ChunkSize];
            }

            // Readers index these arrays by nodes they found through links; the new ones hold every old chunk.
            _upper = upper;
            _levels = levels;
            _deleted = deleted;
            _inDegree = inDegree;
            Volatile.Write(ref _bottom, bottom);
        }
    }

    /// <summary>The code of a node.</summary>
    public ReadOnlySpan<byte> CodeOf(int id) => _codes[id];

    private float Distance(int a, int b) => _space.Distance(_codes[a], _codes[b]);

    private sealed record EntryPoint(int Id, int Level);
}
