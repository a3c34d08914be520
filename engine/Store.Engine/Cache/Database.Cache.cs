using Store.Cache;

namespace Store.Kv;

public sealed partial class Database
{
    private readonly Dictionary<string, SemanticCache> _semanticCaches = new(StringComparer.Ordinal);
    private readonly Lock _semanticCachesLock = new();

    /// <summary>
    /// Opens (creating if needed) the semantic cache <paramref name="name"/>: its records live in the
    /// internal keyspace <c>$cache/&lt;name&gt;</c>, and its in-memory indexes are rebuilt from them
    /// now. The cache uses the database's clock (<see cref="DatabaseOptions.TimeProvider"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not 1 to 64 letters, digits, '_', '-' or '.'.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid, or the dimension differs from the cache's; the message names it.</exception>
    /// <exception cref="InvalidOperationException">The cache is already open (dispose it first).</exception>
    public SemanticCache OpenSemanticCache(string name, SemanticCacheOptions options)
    {
        CacheNames.CheckCache(name, nameof(name));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ThrowIfDisposed();
        lock (_semanticCachesLock)
        {
            if (_semanticCaches.ContainsKey(name))
            {
                throw new InvalidOperationException($"Semantic cache '{name}' is already open; share that instance or dispose it first.");
            }

            Keyspace records = GetOrCreateKeyspaceInternal($"{ReservedPrefix}cache/{name}");
            SemanticCache cache = SemanticCache.Open(this, name, records, options, Options.TimeProvider);
            _semanticCaches[name] = cache;
            return cache;
        }
    }

    internal void ForgetSemanticCache(SemanticCache cache)
    {
        lock (_semanticCachesLock)
        {
            if (_semanticCaches.TryGetValue(cache.Name, out SemanticCache? open) && ReferenceEquals(open, cache))
            {
                _semanticCaches.Remove(cache.Name);
            }
        }
    }
}
