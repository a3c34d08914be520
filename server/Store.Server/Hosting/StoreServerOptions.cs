using System.Net;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// Settings of a <see cref="StoreServerHost"/>. Every property has a documented default (docs/server.md
/// lists them with their command-line flags and environment variables); <see cref="Validate"/> runs at start.
/// </summary>
public sealed partial class StoreServerOptions
{
    /// <summary>Port of the binary protocol when none is configured.</summary>
    public const int DefaultPort = 7379;

    /// <summary>Port of the HTTP admin surface when none is configured.</summary>
    public const int DefaultAdminPort = 7380;

    /// <summary>The database directory, created if absent. Default <c>./data</c>.</summary>
    public string DataDirectory { get; init; } = "data";

    /// <summary>TCP port of the binary protocol; 0 picks a free one (read it from <see cref="StoreServerHost.Endpoint"/>). Default 7379.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>TCP port of the HTTP admin surface (/health, /metrics); null or -1 turns it off, 0 picks a free one. Default 7380.</summary>
    public int? AdminPort { get; init; } = DefaultAdminPort;

    /// <summary>Address both listeners bind to. Default <see cref="IPAddress.Loopback"/>.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Largest payload a request frame may announce, in bytes (1 KiB .. 1 GiB). Default 16 MiB.</summary>
    public int MaxFrameBytes { get; init; } = 16 << 20;

    /// <summary>Requests a connection may have read but not answered before the server stops reading it (1 .. 65,536). Default 1,024.</summary>
    public int MaxInFlightPerConnection { get; init; } = 1024;

    /// <summary>
    /// Most bytes one socket receive takes (4 KiB .. 1 MiB): the block size of the transport's memory pool.
    /// A pipelined burst is parsed and answered per receive, with one flush, so larger receives mean
    /// fewer reply sends and wake-ups per request; Kestrel's default 4 KiB cut a burst of small requests
    /// into reads of about 50 (docs/server.md, "Receive size"). Default 16 KiB.
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 16 << 10;

    /// <summary>Open binary-protocol connections at most; further ones are closed at once (1 .. 1,000,000). Default 10,000.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>A connection that neither sends nor takes data for this long is closed; <see cref="TimeSpan.Zero"/> or <see cref="Timeout.InfiniteTimeSpan"/> turns it off. Default 5 minutes.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a stop waits for connections to finish their requests before closing them. Default 30 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Access tokens and the tenant each one acts for. Empty (the default): no authentication, every
    /// client sees every keyspace. Tenant names are 1 to 64 characters without ':' or control characters.
    /// </summary>
    public IReadOnlyDictionary<string, string> Tokens { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>PKCS#12 (.pfx) certificate file; when set the binary protocol is served over TLS. Default null (plain TCP).</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Password of <see cref="CertificatePath"/>; null when it has none. Default null.</summary>
    public string? CertificatePassword { get; init; }

    /// <summary>Name the server gives in its Hello reply. Default <c>store-server</c>.</summary>
    public string ServerName { get; init; } = "store-server";

    /// <summary>Settings of the embedded database. Default: <see cref="Kv.DatabaseOptions"/> defaults.</summary>
    public DatabaseOptions DatabaseOptions { get; init; } = new();

    /// <summary>Where the server (and the database) log; null logs nowhere. Default null; the store-server program logs to the console.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>True when tokens are configured: every connection must present one in its Hello.</summary>
    public bool AuthenticationEnabled => Tokens.Count > 0;

    /// <summary>True when the admin surface is on.</summary>
    public bool AdminEnabled => AdminPort is { } port && port != -1;

    /// <summary>True when idle connections are closed.</summary>
    public bool IdleTimeoutEnabled => IdleTimeout > TimeSpan.Zero;
}
