using System.Diagnostics.CodeAnalysis;
using Store.Index;
using Store.Storage;

namespace Store.Kv;

/// <summary>
/// A named ordered map from byte keys to byte values with per-key TTL and optional categories.
/// Thread-safe. Obtain one from <see cref="Database.GetOrCreateKeyspace"/>.
/// </summary>
public sealed partial class Keyspace
{
    // An index value ("slot"): bits 0..55 the record's log address; bits 56..61 its aligned length / 8 when
    // the record is plain (no category, no TTL) and at most MaxPlainLength bytes, else 0; bit 62 the CLOCK
    // reference bit of quota'd categories. A blind overwrite of a plain record settles its accounting from
    // the slot alone, without reading the replaced record. Slots written by recovery carry no length (0).

    /// <summary>The log address bits of an index value.</summary>
    internal const long AddressMask = RecordLog.MaxAddress - 1;
    internal const long ReferencedBit = 1L << 62;
    private const int PlainShift = 56;
    private const long PlainMask = 63L << PlainShift;
    private const int MaxPlainLength = 63 * RecordHeader.Alignment;
    private const int MaxCategories = ushort.MaxValue;

    private readonly Database _db;
    private readonly RecordLog _log;
    private readonly Lock _catalogLock = new();
    private Category?[] _categoriesById = [null];

    internal Keyspace(Database db, int id, string name)
    {
        _db = db;
        _log = db.Log;
        Id = id;
        Name = name;
        Index = new BSkipList(db.Options.IndexOptions);
    }

    /// <summary>The keyspace's name.</summary>
    public string Name { get; }

    /// <summary>Keys present, counting expired keys that active expiry has not removed yet.</summary>
    public long Count => Index.Count;

    /// <summary>The categories defined in this keyspace.</summary>
    public IReadOnlyList<Category> Categories => [.. Volatile.Read(ref _categoriesById).OfType<Category>()];

    internal int Id { get; }

    internal BSkipList Index { get; }

    /// <summary>Defines a category, or replaces its policy at run time; durable when this returns.</summary>
    /// <exception cref="ArgumentException">The name is empty or too long.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A policy field is invalid; the message names it.</exception>
    public Category DefineCategory(string name, CategoryPolicy policy)
    {
        Database.CheckName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        _db.ThrowIfDisposed();
        lock (_catalogLock)
        {
            Category? existing = FindCategory(name);
            if (existing is not null)
            {
                if (!existing.HasQuota && (policy.MaxEntries > 0 || policy.MaxBytes > 0))
                {
                    existing.EvictionQueueComplete = false;
                }

                existing.Policy = policy;
            }
            else
            {
                Category?[] all = Volatile.Read(ref _categoriesById);
                if (all.Length > MaxCategories)
                {
                    throw new InvalidOperationException($"Keyspace '{Name}' already has {MaxCategories} categories, the most it can hold.");
                }

                existing = new Category(this, all.Length, name, policy);
                Volatile.Write(ref _categoriesById, [.. all, existing]);
            }

            _db.SaveCatalog();
            return existing;
        }
    }

    /// <summary>Returns a category or throws <see cref="CategoryNotFoundException"/>.</summary>
    public Category GetCategory(string name) => FindCategory(name) ?? throw new CategoryNotFoundException(Name, name);

    /// <summary>Looks a category up by name.</summary>
    public bool TryGetCategory(string name, [NotNullWhen(true)] out Category? category) => (category = FindCategory(name)) is not null;

    internal Category? CategoryById(int id)
    {
        Category?[] all = Volatile.Read(ref _categoriesById);
        return (uint)id < (uint)all.Length ? all[id] : null;
    }

    /// <summary>Restores a category from the catalog at open.</summary>
    internal void RestoreCategory(int id, string name, CategoryPolicy policy)
    {
        Category?[] all = Volatile.Read(ref _categoriesById);
        if (id >= all.Length)
        {
            Array.Resize(ref all, id + 1);
        }

        all[id] = new Category(this, id, name, policy);
        Volatile.Write(ref _categoriesById, all);
    }

    internal CatalogKeyspace ToCatalog() => new(Id, Name,
        [.. Volatile.Read(ref _categoriesById).OfType<Category>().Select(c => new CatalogCategory(c.Id, c.Name, c.Policy))]);

    private Category? FindCategory(string name)
    {
        foreach (Category? category in Volatile.Read(ref _categoriesById))
        {
            if (category is not null && category.Name == name)
            {
                return category;
            }
        }

        return null;
    }

    private void CheckKey(ReadOnlySpan<byte> key, bool allowEmpty = false)
    {
        _db.ThrowIfDisposed();
        if ((key.IsEmpty && !allowEmpty) || key.Length > _db.Options.MaxKeyLength)
        {
            ThrowBadKey(key.Length);
        }
    }

    [DoesNotReturn]
    private void ThrowBadKey(int length) => throw new ArgumentException(length == 0
        ? "Keys must not be empty."
        : $"Key is {length} bytes; this database accepts keys of 1 to {_db.Options.MaxKeyLength} bytes (DatabaseOptions.MaxKeyLength).", "key");

    /// <summary>Reads the metadata of the record an index slot points at; the caller holds the key's stripe.</summary>
    private RecordMeta ReadMeta(long slot)
    {
        long address = slot & AddressMask;
        if (!_log.TryRead(address, out RecordRef record))
        {
            throw new InvalidOperationException($"The index of keyspace '{Name}' points at log address {address}, which no longer exists.");
        }

        using (record)
        {
            return RecordMeta.Of(address, record);
        }
    }

    /// <summary>The slot of a new record: its address with the plain length or the reference bit.</summary>
    private static long SlotOf(long address, int alignedLength, Category? owner, long expiry)
    {
        if (owner is { HasQuota: true })
        {
            return address | ReferencedBit; // new entries of quota'd categories start referenced: one CLOCK pass before they can go
        }

        return owner is null && expiry == 0 && alignedLength <= MaxPlainLength
            ? address | ((long)(alignedLength / RecordHeader.Alignment) << PlainShift)
            : address;
    }

    /// <summary>The aligned length a slot carries for a plain record; 0 when the record must be read.</summary>
    private static int PlainLengthOf(long slot) => (int)((slot & PlainMask) >> PlainShift) * RecordHeader.Alignment;

    private long NowMs() => _db.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
