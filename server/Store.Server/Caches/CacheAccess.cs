using Store.Cache;
using Store.Client.Protocol;

namespace Store.Server;

/// <summary>
/// The tenant rules of the cache operations, shared by the binary protocol and the HTTP sidecar
/// (docs/cache.md, "Tenants"). With authentication off every request may touch every partition. With
/// it on, a request acts for its token's tenant: a partition's tenant is that tenant (an empty one is
/// filled in, another one is Forbidden), and the operations that span every tenant need a tenant of
/// <see cref="StoreServerOptions.CacheOperatorTenants"/>.
/// </summary>
internal sealed class CacheAccess(StoreServerOptions options)
{
    private readonly HashSet<string> _operators = new(options.CacheOperatorTenants, StringComparer.Ordinal);
    private readonly bool _authentication = options.AuthenticationEnabled;

    /// <summary>The partition <paramref name="fields"/> name, for a request acting for <paramref name="tenant"/> (null: auth off).</summary>
    /// <exception cref="ProtocolException">InvalidArgument (no tenant or model) or Forbidden (another tenant's partition).</exception>
    public CachePartition Partition(string? tenant, in PartitionFields fields)
    {
        if (string.IsNullOrEmpty(fields.Model))
        {
            throw new ProtocolException(StatusCode.InvalidArgument, "partition.model is required: name the model that produced (or will produce) the response.");
        }

        string owner;
        if (!_authentication)
        {
            if (string.IsNullOrEmpty(fields.Tenant))
            {
                throw new ProtocolException(StatusCode.InvalidArgument, "partition.tenant is required when the server has no tokens configured: name the tenant that owns the entries.");
            }

            owner = fields.Tenant;
        }
        else
        {
            owner = tenant!;
            if (fields.Tenant.Length > 0 && !string.Equals(fields.Tenant, tenant, StringComparison.Ordinal))
            {
                throw new ProtocolException(StatusCode.Forbidden,
                    $"Partition tenant '{fields.Tenant}' is not this token's tenant '{tenant}'; leave partition.tenant empty (or set it to '{tenant}') to use your own partitions.");
            }
        }

        return fields.ToPartition(owner);
    }

    /// <summary>Checks the request may run <paramref name="operation"/>, which spans every tenant's entries or settings.</summary>
    /// <exception cref="ProtocolException">Forbidden: auth is on and the tenant is not a cache operator.</exception>
    public void RequireOperator(string? tenant, string operation)
    {
        if (_authentication && (tenant is null || !_operators.Contains(tenant)))
        {
            throw new ProtocolException(StatusCode.Forbidden,
                $"{operation} spans every tenant of the cache; tenant '{tenant}' may not run it. Use a token of a tenant listed in CacheOperatorTenants.");
        }
    }

    /// <summary>Checks a load report: a number from 0 up (values over 1 count as 1).</summary>
    /// <exception cref="ProtocolException">InvalidArgument.</exception>
    public static void CheckLoad(double load)
    {
        if (!double.IsFinite(load) || load < 0)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"load must be a utilisation from 0 (idle) to 1 (saturated; larger values count as 1); got {load}.");
        }
    }

    /// <summary>Checks a per-request threshold: 0..1.</summary>
    /// <exception cref="ProtocolException">InvalidArgument.</exception>
    public static void CheckThreshold(double? minSimilarity)
    {
        if (minSimilarity is { } value && !(value is >= 0 and <= 1))
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"minSimilarity must be from 0 to 1 (or absent for the category's threshold); got {value}.");
        }
    }

    /// <summary>Checks a vector's length against the cache's dimension.</summary>
    /// <exception cref="ProtocolException">WrongDimension.</exception>
    public static void CheckDimension(SemanticCache cache, int length)
    {
        if (length != cache.Dimension)
        {
            throw new ProtocolException(StatusCode.WrongDimension,
                $"The vector has {length} components; semantic cache '{cache.Name}' holds {cache.Dimension}-dimensional vectors (use the embedder the cache was created with).");
        }
    }
}
