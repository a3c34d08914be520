using Store.Cache;

namespace Store.Server;

public sealed partial class StoreServerOptions
{
    /// <summary>
    /// Semantic caches the host opens at start (by name) and serves over the binary protocol's cache
    /// operations and the HTTP sidecar API (docs/cache.md, "Sidecar"); closed at stop. Default none.
    /// </summary>
    public IReadOnlyDictionary<string, SemanticCacheOptions> SemanticCaches { get; init; } = new Dictionary<string, SemanticCacheOptions>(StringComparer.Ordinal);

    /// <summary>
    /// With authentication on, the tenants whose tokens may run the cache operations that span every
    /// tenant (invalidate a category, set a policy, report load, read metrics): typically the gateway's
    /// own tenant. Other tenants get Forbidden (HTTP 403) for them. Ignored when authentication is off.
    /// Default none.
    /// </summary>
    public IReadOnlyCollection<string> CacheOperatorTenants { get; init; } = [];

    private void ValidateCaches()
    {
        ArgumentNullException.ThrowIfNull(SemanticCaches, nameof(SemanticCaches));
        ArgumentNullException.ThrowIfNull(CacheOperatorTenants, nameof(CacheOperatorTenants));
        foreach ((string name, SemanticCacheOptions cache) in SemanticCaches)
        {
            if (cache is null)
            {
                throw new ArgumentException($"{nameof(StoreServerOptions)}.{nameof(SemanticCaches)}['{name}'] is null; give its options (at least Dimension).", nameof(SemanticCaches));
            }

            cache.Validate();
        }

        foreach (string tenant in CacheOperatorTenants)
        {
            if (!IsValidTenantName(tenant))
            {
                throw new ArgumentException(
                    $"{nameof(StoreServerOptions)}.{nameof(CacheOperatorTenants)}: tenant '{tenant}' must be 1 to {MaxTenantNameLength} characters without ':' or control characters.", nameof(CacheOperatorTenants));
            }
        }
    }
}
