using System.Net.Security;

namespace Store.Client;

/// <summary>Settings of a <see cref="StoreClient"/>. Every property has a documented default; <see cref="Validate"/> runs at connect.</summary>
public sealed class StoreClientOptions
{
    /// <summary>Servers as <c>host:port</c> (<c>[v6]:port</c> for IPv6 literals). Connections start on the first and move to the next when one fails. Required.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];

    /// <summary>Token sent in the handshake; null or empty for none. Default none.</summary>
    public string? Token { get; init; }

    /// <summary>Name the client gives in the handshake (server logs). Default <c>Store.Client</c>.</summary>
    public string ClientName { get; init; } = "Store.Client";

    /// <summary>Connections kept open; requests go round-robin over them, each connection multiplexes many. 1 .. 64, default 1.</summary>
    public int PoolSize { get; init; } = 1;

    /// <summary>Time allowed to connect and finish the handshake (TLS included). Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Time a request may take from the call to its reply, waiting for a reconnect included;
    /// <see cref="Timeout.InfiniteTimeSpan"/> for none. Default 5 s. A scan gets this much per reply frame.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before reconnecting after a connection drops; doubled per failed try up to <see cref="ReconnectMaxDelay"/>. Default 100 ms.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between reconnect tries. Default 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Talk TLS. Default false.</summary>
    public bool UseTls { get; init; }

    /// <summary>Host name the server certificate must carry (SNI); null uses the endpoint's host. Default null.</summary>
    public string? TlsTargetHost { get; init; }

    /// <summary>Checks the server certificate; null for the system's validation. Default null.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Largest reply frame accepted, in bytes; a larger one breaks the connection. 1 KiB .. 2 GiB, default 64 MiB.</summary>
    public int MaxReplyBytes { get; init; } = 64 << 20;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoints, nameof(Endpoints));
        Check(Endpoints.Count > 0, nameof(Endpoints), Endpoints.Count, "needs at least one host:port");
        foreach (string endpoint in Endpoints)
        {
            _ = EndpointAddress.Parse(endpoint);
        }

        ArgumentNullException.ThrowIfNull(ClientName, nameof(ClientName));
        Check(PoolSize is >= 1 and <= 64, nameof(PoolSize), PoolSize, "must be from 1 to 64");
        Check(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        Check(RequestTimeout > TimeSpan.Zero || RequestTimeout == Timeout.InfiniteTimeSpan, nameof(RequestTimeout), RequestTimeout, "must be positive or Timeout.InfiniteTimeSpan");
        Check(ReconnectInitialDelay > TimeSpan.Zero, nameof(ReconnectInitialDelay), ReconnectInitialDelay, "must be positive");
        Check(ReconnectMaxDelay >= ReconnectInitialDelay, nameof(ReconnectMaxDelay), ReconnectMaxDelay, "must be at least ReconnectInitialDelay");
        Check(MaxReplyBytes >= 1024, nameof(MaxReplyBytes), MaxReplyBytes, "must be at least 1 KiB");
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(StoreClientOptions)}.{field} {rule}.");
        }
    }
}
