using Store.Client.Protocol;

namespace Store.Server;

/// <summary>
/// Maps the keyspace names clients use to the engine's keyspace names (docs/server.md, "Tenants").
/// With authentication off names pass through. With it on, tenant <c>acme</c>'s keyspace <c>x</c> is
/// the engine keyspace <c>acme:x</c>: every name a tenant opens gets its own tenant's prefix, and tenant
/// names cannot hold ':', so no name one tenant sends can reach another's keyspace. A client may also
/// write the qualified form <c>acme:x</c>; a qualifier other than its own tenant is <see cref="StatusCode.Forbidden"/>.
/// </summary>
internal static class TenantKeyspaces
{
    /// <summary>Separates the tenant from the keyspace name in engine names.</summary>
    public const char Separator = ':';

    /// <summary>The keyspace handle 0 stands for.</summary>
    public const string DefaultKeyspace = "default";

    /// <summary>The engine name of <paramref name="requested"/> for <paramref name="tenant"/> (null: authentication off).</summary>
    /// <exception cref="ProtocolException">Forbidden (another tenant's qualifier) or InvalidArgument (an empty name).</exception>
    public static string ToEngineName(string? tenant, string requested)
    {
        if (requested.Length == 0)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, "A keyspace name must not be empty.");
        }

        if (tenant is null)
        {
            return requested;
        }

        int colon = requested.IndexOf(Separator, StringComparison.Ordinal);
        if (colon < 0)
        {
            return string.Concat(tenant, ":", requested);
        }

        ReadOnlySpan<char> qualifier = requested.AsSpan(0, colon);
        if (!qualifier.SequenceEqual(tenant))
        {
            throw new ProtocolException(StatusCode.Forbidden,
                $"Keyspace '{requested}' belongs to tenant '{qualifier}'; this connection's token is for tenant '{tenant}'. Use a name without ':' for your own keyspaces.");
        }

        if (colon == requested.Length - 1)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"Keyspace name '{requested}' has a tenant but no name after ':'.");
        }

        return requested;
    }
}
