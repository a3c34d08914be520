using Store.Kv;

namespace Store.Vectors;

/// <summary>
/// A named set of vectors of one dimension, metric and element type, each with a 64-bit id (or a
/// string id mapped to one) and optional payload bytes, searched by the collection's index.
/// Vectors and payloads are records of an internal keyspace (durable like any key); the index is
/// derived from them and kept under <c>vectors/&lt;name&gt;/</c>. Thread-safe: writes are serialised,
/// searches run concurrently with them. Get one through <see cref="Database.CreateVectorCollection"/>
/// or <see cref="Database.GetVectorCollection"/>.
/// </summary>
public sealed partial class VectorCollection
{
    /// <summary>Largest k a search accepts.</summary>
    public const int MaxK = 10_000;

    private readonly Database _db;
    private readonly Keyspace _records;
    private readonly Keyspace _changed;
    private readonly object _writeLock = new();

    // Searches hold it for reading; a SPANN build holds it for writing while it swaps index state.
    private readonly ReaderWriterLockSlim _swapLock = new(LockRecursionPolicy.NoRecursion);
    // External id -> internal id of vectors placed in memory (write lock held). Vectors of a SPANN build are
    // not in it: their internal ids follow id order, so they are found by binary search in _externalIds.
    private readonly Dictionary<long, int> _internalIds = [];

    // Internal id -> external id; grows (copy on write) under the write lock; readers index below _codes.Count.
    private long[] _externalIds = new long[1024];
    private ulong[] _deleted = new ulong[16];
    private int _deletedCount;

    private CodeStore _codes;
    private HnswGraph? _graph;
    private SpannIndex? _spann;
    private int _spannBuilt;

    // Writes since the SPANN index's last checkpoint (write lock held).
    private int _sinceCheckpoint;

    internal VectorCollection(Database db, string name, string directory, VectorCollectionOptions options, VectorSpace space, Keyspace records, Keyspace changed)
    {
        _db = db;
        Name = name;
        Directory = directory;
        Options = options;
        Space = space;
        _records = records;
        _changed = changed;
        _codes = new CodeStore(space.CodeSize);
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>What the collection was created with.</summary>
    public VectorCollectionOptions Options { get; }

    /// <summary>The encoding and distance of its vectors.</summary>
    public VectorSpace Space { get; }

    /// <summary>Vectors in the collection.</summary>
    public long Count => _records.Count;

    /// <summary>
    /// Bytes the index holds in memory: codes held in memory, graph links, SPANN heads and directory,
    /// id maps (estimates from array sizes; the KV tier's own memory is not included).
    /// </summary>
    public long IndexMemoryBytes =>
        _codes.MemoryBytes + (_graph?.MemoryBytes ?? 0) + (_spann?.MemoryBytes ?? 0) + (_externalIds.Length * 8L) + (_deleted.Length * 8L) + (_internalIds.Count * 24L);

    /// <summary>True if SPANN posting reads bypass the OS page cache (O_DIRECT); null for other index kinds or before a build.</summary>
    public bool? DirectReads => _spann?.DirectReads;

    internal string Directory { get; }

    /// <summary>Vectors the SPANN index was built over (later ones are placed into its lists as they come).</summary>
    internal int SpannVectorCount => _spannBuilt;

    /// <summary>The SPANN index, once built (tests look inside).</summary>
    internal SpannIndex? Spann => _spann;

    /// <summary>
    /// What live updates of a built SPANN index have done so far (splits, merges, reassigned vectors, heads);
    /// null for other index kinds or before the first <see cref="BuildIndex"/>.
    /// </summary>
    public SpannUpdateStatistics? UpdateStatistics => _spann is { } spann
        ? new SpannUpdateStatistics(spann.Maintenance.Splits, spann.Maintenance.Merges, spann.Maintenance.Reassigned, spann.Maintenance.Pending, spann.LiveHeadCount, spann.Store.BlockCount, spann.HeadLinksRepaired)
        : null;

    private static byte[] KeyOf(long id)
    {
        var key = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(key, id ^ long.MinValue); // signed order as byte order
        return key;
    }

    private static long IdOf(ReadOnlySpan<byte> key) => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(key) ^ long.MinValue;

    private bool IsDeleted(int internalId)
    {
        if (_spann is { } spann)
        {
            return !spann.IsLive(internalId);
        }

        ulong[] bits = Volatile.Read(ref _deleted);
        return (internalId >> 6) < bits.Length && (bits[internalId >> 6] & (1UL << (internalId & 63))) != 0;
    }

    /// <summary>Marks an internal id dead (write lock held).</summary>
    private void MarkDeleted(int internalId)
    {
        if (_spann is { } spann)
        {
            spann.Delete(internalId);
            return;
        }

        if ((internalId >> 6) >= _deleted.Length)
        {
            var grown = new ulong[Math.Max(_deleted.Length * 2, (internalId >> 6) + 1)];
            _deleted.CopyTo(grown, 0);
            Volatile.Write(ref _deleted, grown);
        }

        if ((_deleted[internalId >> 6] & (1UL << (internalId & 63))) == 0)
        {
            _deleted[internalId >> 6] |= 1UL << (internalId & 63);
            _deletedCount++;
        }

        _graph?.MarkDeleted(internalId);
    }

    /// <summary>Finds and forgets the live internal id of a vector (write lock held); the caller marks it deleted.</summary>
    private bool TryForget(long id, out int internalId)
    {
        if (_internalIds.Remove(id, out internalId))
        {
            return true;
        }

        internalId = LiveBuiltInternalId(id);
        return internalId >= 0;
    }

    /// <summary>The internal id of a live vector of the SPANN build (found by id order), or -1.</summary>
    private int LiveBuiltInternalId(long id)
    {
        int found = Array.BinarySearch(_externalIds, 0, _spannBuilt, id);
        return found >= 0 && !IsDeleted(found) ? found : -1;
    }

    /// <summary>Diagnostics (tests): the internal id a live vector has now, or -1.</summary>
    internal int InternalIdOf(long id)
    {
        lock (_writeLock)
        {
            return _internalIds.TryGetValue(id, out int internalId) ? internalId : LiveBuiltInternalId(id);
        }
    }

    /// <summary>Records the external id of a new internal id (write lock held).</summary>
    private void MapInternal(int internalId, long externalId)
    {
        if (internalId >= _externalIds.Length)
        {
            var grown = new long[Math.Max(_externalIds.Length * 2, internalId + 1)];
            _externalIds.CopyTo(grown, 0);
            Volatile.Write(ref _externalIds, grown);
        }

        _externalIds[internalId] = externalId;
        _internalIds[externalId] = internalId;
    }
}
