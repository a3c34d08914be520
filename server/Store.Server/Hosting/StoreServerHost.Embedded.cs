using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Store.Cache;
using Store.Kv;

namespace Store.Server;

public sealed partial class StoreServerHost
{
    /// <summary>
    /// Serves a database this process already has open, with semantic caches it already opened: the
    /// embedding form (benchmarks, a program that loads data before serving it). The host neither opens
    /// nor closes <paramref name="database"/> or <paramref name="caches"/>: stopping it stops the listeners
    /// only, and the caller disposes the database afterwards. <see cref="StoreServerOptions.DataDirectory"/>
    /// and <see cref="StoreServerOptions.DatabaseOptions"/> are not used; caches named in
    /// <see cref="StoreServerOptions.SemanticCaches"/> are opened on <paramref name="database"/> and closed at stop.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid, or two caches share a name.</exception>
    /// <exception cref="IOException">A port is in use.</exception>
    public static Task<StoreServerHost> StartAsync(StoreServerOptions options, Database database, IReadOnlyCollection<SemanticCache> caches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(caches);
        options.Validate();
        ILoggerFactory loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        return StartOnAsync(options, database, ownsDatabase: false, caches, loggerFactory, cancellationToken);
    }
}
