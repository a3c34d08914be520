using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Store.Kv;

namespace Store.Vectors;

/// <summary>
/// Multi-tenant vector search after Curator (arXiv 2401.07119): every vector has an owner tenant and may
/// be granted to other tenants; a search for a tenant sees only vectors that tenant may access. The
/// vectors' codes are held once, in a shared clustering tree whose nodes carry a Bloom filter of tenants
/// and per-tenant shortlists of ids; grants and revokes touch one root-to-leaf path. Isolation does not
/// rest on the filters: every candidate is checked against the exact access model before it is measured.
/// <para>
/// Thread-safe: writes are serialised and exclude searches (a reader-writer lock); searches run
/// concurrently with each other. Opened on a <see cref="Database"/> with <see cref="Open"/>, the vectors,
/// owners, grants and tenant names are durable records of an internal keyspace and the tree is rebuilt
/// from them at open; made with the constructor, the index lives in memory only.
/// </para>
/// </summary>
public sealed partial class TenantVectorIndex : IDisposable
{
    /// <summary>Largest k a search accepts.</summary>
    public const int MaxK = VectorCollection.MaxK;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly TenantIndexOptions _options;
    private readonly TenantDirectory _tenants = new();
    private readonly AccessModel _access = new();
    private readonly Dictionary<long, int> _slotOf = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly CodeStore _codes;
    private readonly TenantRecords? _records;
    private long[] _externalIds = new long[1024];
    private int _slots;
    private TenantTree _tree;

    /// <summary>An index in memory only (nothing is written anywhere).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public TenantVectorIndex(TenantIndexOptions options)
        : this(options, null)
    {
    }

    private TenantVectorIndex(TenantIndexOptions options, TenantRecords? records)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Space = VectorSpace.Create(options.Dimension, options.Metric, options.ElementType);
        _codes = new CodeStore(Space.CodeSize);
        _tree = new TenantTree(Space, options);
        _records = records;
    }

    /// <summary>The encoding and distance of the vectors.</summary>
    public VectorSpace Space { get; }

    /// <summary>Vectors in the index.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _slotOf.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Tenants the index has seen (as owner or grantee).</summary>
    public int TenantCount => _tenants.Count;

    /// <summary>The tree's shape and the work done on its shortlists.</summary>
    public TenantTreeStats TreeStats
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _tree.Stats();
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>Bytes of memory the index accounts for: codes, ids, access model and tree (an estimate of the managed objects).</summary>
    public long MemoryBytes
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _codes.MemoryBytes + (_externalIds.Length * 8L) + (_slotOf.Count * 24L) + _access.MemoryBytes(_slots) + _tree.MemoryBytes();
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>
    /// Opens (or creates) the durable tenant index <paramref name="name"/> of a database: its records live in
    /// the internal keyspace <c>$tenancy/&lt;name&gt;</c>. A reopen must pass the same dimension, metric and
    /// element type; the tree is trained anew from the stored vectors.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not 1-64 characters of <c>A-Z a-z 0-9 _ - .</c>, or the options differ from the stored ones.</exception>
    /// <exception cref="UnsupportedFormatException">The stored records are of an unknown format version.</exception>
    public static TenantVectorIndex Open(Database db, string name, TenantIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        CheckIndexName(name);
        options.Validate();
        var records = new TenantRecords(db.GetOrCreateKeyspaceInternal($"{Database.ReservedPrefix}tenancy/{name}"));
        var index = new TenantVectorIndex(options, records);
        records.CheckOrWriteMeta(options);
        index.LoadFrom(records);
        return index;
    }

    /// <summary>
    /// Adds a vector owned by <paramref name="owner"/> (who always may access it).
    /// </summary>
    /// <exception cref="ArgumentException">The id is already in the index (delete it first), or the owner is not a well-formed tenant id.</exception>
    /// <exception cref="VectorDimensionException">The vector's length is not the index's dimension.</exception>
    /// <exception cref="InvalidVectorException">A component is not finite or the element type cannot hold it.</exception>
    public void Add(long id, string owner, ReadOnlySpan<float> vector)
    {
        TenantDirectory.Check(owner, nameof(owner));
        byte[] code = ArrayPool<byte>.Shared.Rent(Space.CodeSize);
        try
        {
            Space.Encode(vector, code);
            _lock.EnterWriteLock();
            try
            {
                if (_slotOf.ContainsKey(id))
                {
                    ThrowDuplicate(id);
                }

                int tenant = TenantNumber(owner);
                _records?.WriteVector(id, tenant, code.AsSpan(0, Space.CodeSize));
                Place(id, tenant, code);
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(code);
        }
    }

    /// <summary>Lets <paramref name="tenant"/> access vector <paramref name="id"/>; false if there is no such vector or the tenant already may access it.</summary>
    /// <exception cref="ArgumentException">The tenant is not a well-formed tenant id.</exception>
    public bool Grant(long id, string tenant)
    {
        TenantDirectory.Check(tenant, nameof(tenant));
        _lock.EnterWriteLock();
        try
        {
            if (!_slotOf.TryGetValue(id, out int slot))
            {
                return false;
            }

            int number = TenantNumber(tenant);
            if (!_access.Grant(slot, number))
            {
                return false;
            }

            _records?.WriteGrant(id, number);
            _tree.AddAccess(slot, number);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Takes back a grant; false if there is no such vector or the tenant held no grant to it.</summary>
    /// <exception cref="ArgumentException">The tenant is not a well-formed tenant id.</exception>
    /// <exception cref="InvalidOperationException">The tenant owns the vector: an owner's access cannot be revoked (delete the vector instead).</exception>
    public bool Revoke(long id, string tenant)
    {
        TenantDirectory.Check(tenant, nameof(tenant));
        _lock.EnterWriteLock();
        try
        {
            if (!_slotOf.TryGetValue(id, out int slot) || !_tenants.TryGet(tenant, out int number))
            {
                return false;
            }

            if (_access.OwnerOf(slot) == number)
            {
                throw new InvalidOperationException($"Tenant '{tenant}' owns vector {id}; an owner's access cannot be revoked. Delete the vector, or add it anew under another owner.");
            }

            if (!_access.Revoke(slot, number))
            {
                return false;
            }

            _records?.DeleteGrant(id, number);
            _tree.RemoveAccess(slot, number);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes a vector with its grants; false if it was not there.</summary>
    public bool Delete(long id)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slotOf.TryGetValue(id, out int slot))
            {
                return false;
            }

            int owner = _access.OwnerOf(slot);
            int[] grants = _access.GrantsOf(slot).ToArray();
            _records?.DeleteVector(id, grants);
            _access.Clear(slot);
            _tree.RemoveAccess(slot, owner);
            foreach (int grantee in grants)
            {
                _tree.RemoveAccess(slot, grantee);
            }

            _slotOf.Remove(id);
            _freeSlots.Push(slot);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>True if the vector exists and <paramref name="tenant"/> owns it or holds a grant to it (the access model every result is checked against).</summary>
    /// <exception cref="ArgumentException">The tenant is not a well-formed tenant id.</exception>
    public bool CanAccess(long id, string tenant)
    {
        TenantDirectory.Check(tenant, nameof(tenant));
        _lock.EnterReadLock();
        try
        {
            return _slotOf.TryGetValue(id, out int slot) && _tenants.TryGet(tenant, out int number) && _access.CanAccess(slot, number);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Trains the clustering tree anew on (a seeded sample of) the vectors now in the index and places every
    /// vector and tenant again. Until the first training the tree is one leaf, and searches scan each
    /// tenant's ids exactly; an index opened on a database trains at open. Blocks writes and searches meanwhile.
    /// </summary>
    public void Rebuild()
    {
        _lock.EnterWriteLock();
        try
        {
            Retrain();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Releases the lock's resources.</summary>
    public void Dispose() => _lock.Dispose();

    private int TenantNumber(string name)
    {
        int number = _tenants.GetOrAdd(name, out bool added);
        if (added)
        {
            _records?.WriteTenant(number, name);
        }

        return number;
    }

    /// <summary>Takes a slot for a new vector and enters the owner's access (write lock held).</summary>
    private int Place(long id, int owner, ReadOnlySpan<byte> code)
    {
        int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots++;
        code[..Space.CodeSize].CopyTo(_codes.Writable(slot));
        _codes.Publish(slot + 1);
        if (slot >= _externalIds.Length)
        {
            Array.Resize(ref _externalIds, Math.Max(slot + 1, _externalIds.Length * 2));
        }

        _externalIds[slot] = id;
        _slotOf.Add(id, slot);
        _access.Place(slot, owner);
        _tree.Place(slot, code);
        _tree.AddAccess(slot, owner);
        return slot;
    }

    /// <summary>
    /// A tree centre as a code of the index's space, so routing and search measure it with the space's own
    /// kernel (for uint8 codes a quarter of the bytes of floats): integer types round and clamp it, and a zero
    /// centre under cosine (it has no direction) gets a tiny first component.
    /// </summary>
    private byte[] EncodeCentroid(ReadOnlySpan<float> centroid)
    {
        float[] values = centroid.ToArray();
        (float min, float max) = Space.ElementType switch
        {
            VectorElementType.UInt8 => (0f, 255f),
            VectorElementType.Int8 => (-128f, 127f),
            _ => (float.NegativeInfinity, float.PositiveInfinity),
        };
        bool whole = Space.ElementType is VectorElementType.UInt8 or VectorElementType.Int8;
        bool zero = true;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = whole ? Math.Clamp(MathF.Round(values[i]), min, max) : values[i];
            zero &= values[i] == 0;
        }

        if (zero && Space.Metric == VectorMetric.Cosine)
        {
            values[0] = whole ? 1 : 1e-3f;
        }

        byte[] code = new byte[Space.CodeSize];
        Space.Encode(values, code);
        return code;
    }

    private static void CheckIndexName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"Tenant index name '{name}' is not 1 to 64 characters of A-Z a-z 0-9 _ - .", nameof(name));
        }
    }

    [DoesNotReturn]
    private static void ThrowDuplicate(long id) =>
        throw new ArgumentException($"Vector {id} is already in the index; Delete it first to replace it, or Grant it to more tenants.", "id");
}
