using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Store.Cache;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// A running Store server: the database opened from <see cref="StoreServerOptions.DataDirectory"/>,
/// served over the binary protocol (docs/protocol.md) and, optionally, the HTTP admin surface. Start one
/// with <see cref="StartAsync(StoreServerOptions, CancellationToken)"/>; <see cref="StopAsync"/> (or disposal) stops it gracefully and closes the
/// database. Usable in-process (tests, benchmarks) as well as from the store-server program.
/// </summary>
public sealed partial class StoreServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerContext _server;
    private readonly ILogger _logger;
    private readonly Lock _stopLock = new();
    private Task? _stopTask;

    private StoreServerHost(WebApplication app, ServerContext server, ILogger logger, IPEndPoint endpoint, IPEndPoint? adminEndpoint)
    {
        _app = app;
        _server = server;
        _logger = logger;
        Endpoint = endpoint;
        AdminEndpoint = adminEndpoint;
    }

    /// <summary>Where the binary protocol listens (the real port when <see cref="StoreServerOptions.Port"/> was 0).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>Where the HTTP admin surface listens; null when it is off.</summary>
    public IPEndPoint? AdminEndpoint { get; }

    /// <summary>The database being served (open until the host stops, or as long as its owner keeps it open when embedded).</summary>
    public Database Database => _server.Database;

    /// <summary>The options the host runs with.</summary>
    public StoreServerOptions Options => _server.Options;

    /// <summary>True once a stop began.</summary>
    public bool IsStopping => _server.ShuttingDown;

    /// <summary>
    /// Validates <paramref name="options"/>, opens the database (recovering it after a crash) and starts
    /// listening. Returns once both listeners are bound.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="DatabaseLockedException">Another process or host has the directory open.</exception>
    /// <exception cref="IOException">A port is in use.</exception>
    public static async Task<StoreServerHost> StartAsync(StoreServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ILoggerFactory loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Database database = await Task.Run(
            () => Database.Open(options.DataDirectory, options.DatabaseOptions, loggerFactory.CreateLogger("Store.Engine")), cancellationToken).ConfigureAwait(false);
        return await StartOnAsync(options, database, ownsDatabase: true, [], loggerFactory, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<StoreServerHost> StartOnAsync(
        StoreServerOptions options, Database database, bool ownsDatabase, IReadOnlyCollection<SemanticCache> embeddedCaches, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ILogger logger = loggerFactory.CreateLogger("Store.Server");
        var server = new ServerContext(options, database, logger, ownsDatabase);
        try
        {
            foreach (SemanticCache cache in embeddedCaches)
            {
                server.Caches.Add(cache, owned: false);
            }

            foreach ((string name, SemanticCacheOptions cacheOptions) in options.SemanticCaches)
            {
                server.Caches.Add(database.OpenSemanticCache(name, cacheOptions), owned: true);
            }

            (WebApplication app, IPEndPoint endpoint, IPEndPoint? admin) = await StartWebAsync(server, loggerFactory, cancellationToken).ConfigureAwait(false);
            ServerLog.Started(logger, endpoint.ToString(), options.CertificatePath is not null, options.AuthenticationEnabled,
                admin?.ToString() ?? "(off)", database.Path);
            return new StoreServerHost(app, server, logger, endpoint, admin);
        }
        catch
        {
            server.Dispose();
            if (ownsDatabase)
            {
                database.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Stops gracefully: new requests get ShuttingDown, requests already read are answered, connections
    /// close (those still open after <see cref="StoreServerOptions.ShutdownTimeout"/> are aborted), the
    /// listeners stop and the database is flushed, checkpointed and closed. Safe to call more than once.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_stopLock)
        {
            return _stopTask ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops the host (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>The server's counters (tests read them without the admin surface).</summary>
    internal ServerMetrics Metrics => _server.Metrics;

    /// <summary>The socket transport's memory pools (tests: the transport took its blocks from them).</summary>
    internal ConnectionBlockPool.Factory ConnectionPools => _server.ConnectionPools;

    /// <summary>Begins a stop without waiting: /health turns 503 and new requests get ShuttingDown (tests use it to watch that state).</summary>
    internal void BeginShutdown() => _server.BeginShutdown();

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        ServerLog.Stopping(_logger, _server.Metrics.ConnectionsCurrent);
        _server.BeginShutdown();
        try
        {
            await _server.DrainAsync(Options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
            using var stopTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stopTimeout.CancelAfter(Options.ShutdownTimeout);
            await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _server.Dispose();
            if (_server.OwnsDatabase)
            {
                _server.Database.Dispose();
            }

            ServerLog.Stopped(_logger, _server.Database.Path);
        }
    }
}
