using System.Diagnostics.CodeAnalysis;
using Store.Cache;
using Store.Client.Protocol;

namespace Store.Server;

/// <summary>
/// The semantic caches a host serves, by name: those it opened from <see cref="StoreServerOptions.SemanticCaches"/>
/// (closed at stop) and those an embedding program handed it (left open: their owner closes them).
/// Fixed once the host started, so lookups by name take no lock.
/// </summary>
internal sealed class ServedCaches : IDisposable
{
    private readonly Dictionary<string, SemanticCache> _caches = new(StringComparer.Ordinal);
    private readonly List<SemanticCache> _owned = [];

    /// <summary>Every served cache.</summary>
    public IEnumerable<SemanticCache> All => _caches.Values;

    /// <summary>Adds a cache; <paramref name="owned"/> caches are closed by <see cref="Dispose"/>.</summary>
    /// <exception cref="ArgumentException">Another cache of that name is already served.</exception>
    public void Add(SemanticCache cache, bool owned)
    {
        if (!_caches.TryAdd(cache.Name, cache))
        {
            throw new ArgumentException($"Two semantic caches named '{cache.Name}' were given to the host; cache names must be unique.", nameof(cache));
        }

        if (owned)
        {
            _owned.Add(cache);
        }
    }

    /// <summary>The cache named <paramref name="name"/>, if served.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out SemanticCache? cache) => _caches.TryGetValue(name, out cache);

    /// <summary>The cache named <paramref name="name"/>.</summary>
    /// <exception cref="ProtocolException">UnknownCache: this host serves no such cache.</exception>
    public SemanticCache Get(string name)
    {
        if (_caches.TryGetValue(name, out SemanticCache? cache))
        {
            return cache;
        }

        throw new ProtocolException(StatusCode.UnknownCache, _caches.Count == 0
            ? $"This server serves no semantic cache (asked for '{name}'); configure one in StoreServerOptions.SemanticCaches."
            : $"This server serves no semantic cache named '{name}'; it serves: {string.Join(", ", _caches.Keys.Order(StringComparer.Ordinal))}.");
    }

    /// <summary>Closes the caches the host opened.</summary>
    public void Dispose()
    {
        foreach (SemanticCache cache in _owned)
        {
            cache.Dispose();
        }

        _owned.Clear();
    }
}
