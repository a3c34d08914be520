using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Store.Kv;
using Store.Vectors;

namespace Store.Cache;

/// <summary>
/// The embedded semantic cache (docs/cache.md). Open it with <see cref="Database.OpenSemanticCache"/>.
/// Entries, their vectors and responses are records of the internal keyspace <c>$cache/&lt;name&gt;</c>
/// (durable, checksummed, compacted by the KV tier); memory holds one vector index per partition and
/// category plus each entry's times and counters, rebuilt from the KV tier at open. Thread-safe.
/// </summary>
public sealed partial class SemanticCache : ISemanticCache
{
    private readonly Database _database;
    private readonly Keyspace _records;
    private readonly SemanticCacheOptions _options;
    private readonly VectorSpace _space;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<SliceKey, VectorSlice> _slices = new();
    private readonly ConcurrentDictionary<string, CategoryState> _categories = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, CachedEntry> _entries = new();
    private readonly LoadGovernor _load;
    private long _lastId;
    private volatile bool _disposed;

    private SemanticCache(Database database, string name, Keyspace records, SemanticCacheOptions options, TimeProvider clock)
    {
        _database = database;
        Name = name;
        _records = records;
        _options = options;
        _clock = clock;
        _space = VectorSpace.Create(options.Dimension, VectorMetric.Cosine, VectorElementType.Float32);
        _load = new LoadGovernor(options.Load);
        foreach ((string category, CachePolicy policy) in options.Categories)
        {
            _categories[category] = NewCategory(category, policy);
        }
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Dimension => _options.Dimension;

    /// <summary>Entries held now (all partitions and categories).</summary>
    public long Count => _entries.Count;

    /// <summary>Partition and category pairs that have their own HNSW (the others are scanned exactly).</summary>
    public int GraphCount => _slices.Values.Count(s => s.HasGraph);

    internal static SemanticCache Open(Database database, string name, Keyspace records, SemanticCacheOptions options, TimeProvider clock)
    {
        var cache = new SemanticCache(database, name, records, options, clock);
        cache.CheckDescription();
        cache.Rebuild();
        return cache;
    }

    /// <summary>Closes the cache (its records stay in the database); the database stays open.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _database.ForgetSemanticCache(this);
    }

    private void CheckDescription()
    {
        byte[]? description = _records.Get(CacheRecords.DescriptionKey);
        if (description is null)
        {
            _records.Set(CacheRecords.DescriptionKey, CacheRecords.Description(_options.Dimension));
            return;
        }

        int dimension = CacheRecords.ReadDescription(description, Name);
        if (dimension != _options.Dimension)
        {
            throw new ArgumentOutOfRangeException(
                nameof(SemanticCacheOptions.Dimension), _options.Dimension, $"Semantic cache '{Name}' holds {dimension}-dimensional vectors; open it with Dimension = {dimension} (or use a new cache name for another embedder).");
        }
    }

    /// <summary>Reads every entry record back and rebuilds the slices (in parallel, one slice per task); drops expired ones.</summary>
    private void Rebuild()
    {
        long now = NowMs;
        var loaded = new List<(long Id, StoredEntry Entry)>();
        var dead = new List<long>();
        _records.ScanPrefix(CacheRecords.EntryPrefix, (key, value) =>
        {
            long id = CacheRecords.ReadId(key);
            _lastId = Math.Max(_lastId, id);
            if (CacheRecords.TryReadEntry(value, out StoredEntry entry) && entry.Vector.Length == Dimension && now < entry.ExpiresMs)
            {
                loaded.Add((id, entry));
            }
            else
            {
                dead.Add(id);
            }

            return true;
        });

        foreach (long id in dead)
        {
            DeleteRecords(id);
        }

        Parallel.ForEach(
            loaded.GroupBy(e => new SliceKey(e.Entry.PartitionKey, e.Entry.Category)),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            group =>
            {
                byte[] code = new byte[_space.CodeSize];
                Span<byte> key = stackalloc byte[CacheRecords.KeyLength];
                foreach ((long id, StoredEntry stored) in group)
                {
                    CacheRecords.WriteKey(CacheRecords.ResponseTag, id, key);
                    if (!_records.TryGetInfo(key, out EntryInfo answer))
                    {
                        DeleteRecords(id); // the answer record is missing (a crash between the two writes)
                        continue;
                    }

                    _space.Encode(stored.Vector, code);
                    CategoryState category = Category(stored.Category);
                    VectorSlice slice = Slice(group.Key);
                    var entry = new CachedEntry(id, slice, category, PromptKey.Of(stored.Prompt), stored.CreatedMs, stored.ExpiresMs, EntryBytes(stored.Prompt.Length, answer.ValueLength));
                    Insert(entry, code, countStore: false);
                }
            });
    }

    private long NowMs => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private CategoryState Category(string name)
    {
        if (_categories.TryGetValue(name, out CategoryState? state))
        {
            return state;
        }

        CacheNames.CheckCategory(name, "category");
        return _categories.GetOrAdd(name, n => NewCategory(n, _options.DefaultPolicy));
    }

    private CategoryState NewCategory(string name, CachePolicy policy) => new(name, policy, _options.Seed ^ _categories.Count);

    private VectorSlice Slice(SliceKey key) =>
        _slices.TryGetValue(key, out VectorSlice? slice) ? slice
        : _slices.GetOrAdd(key, k => new VectorSlice(k.PartitionKey, k.Category, _space, _options.Hnsw, _options.GraphThreshold));

    /// <summary>Bytes an entry counts against quota: prompt (UTF-16 chars, approximately its UTF-8), vector, response, metadata.</summary>
    private int EntryBytes(int promptChars, int answerBytes) => promptChars + (Dimension * sizeof(float)) + answerBytes;

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(SemanticCache), $"Semantic cache '{Name}' is closed.");

    private static void CheckDimension(int expected, int actual)
    {
        if (expected != actual)
        {
            ThrowDimension(expected, actual);
        }
    }

    [DoesNotReturn]
    private static void ThrowDimension(int expected, int actual) => throw new VectorDimensionException(expected, actual);

    /// <summary>The hard key of a slice: partition key and category, compared ordinally.</summary>
    private readonly record struct SliceKey(string PartitionKey, string Category);
}
