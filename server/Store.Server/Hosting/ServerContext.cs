using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// What every connection of one host shares: options, database, metrics, the open connections
/// (for the connection limit, idle checks and shutdown) and the shutting-down flag.
/// </summary>
internal sealed class ServerContext : IDisposable
{
    /// <summary>How long a connection accepted during a stop may take to send its first frames.</summary>
    private static readonly TimeSpan NewConnectionGrace = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<long, StoreConnection> _connections = new();
    private readonly Timer? _idleTimer;
    private readonly long _idleMs;
    private long _nextConnectionId;
    private int _open;
    private volatile bool _shuttingDown;
    private TaskCompletionSource? _drained;

    public ServerContext(StoreServerOptions options, Database database, ILogger logger, bool ownsDatabase = true)
    {
        Options = options;
        Database = database;
        Logger = logger;
        OwnsDatabase = ownsDatabase;
        CacheAccess = new CacheAccess(options);
        Tokens = new Dictionary<string, string>(options.Tokens, StringComparer.Ordinal);
        MaxKeyLength = options.DatabaseOptions.MaxKeyLength;
        DatabaseOptions db = options.DatabaseOptions;
        MaxValueLength = db.MaxValueLength > 0 ? db.MaxValueLength : Math.Min(4 << 20, db.SegmentSize / 4);
        MaxReplyBytes = Math.Max(options.MaxFrameBytes, 16 << 20);
        ConnectionPools = new ConnectionBlockPool.Factory(options.ReceiveBufferBytes);
        if (options.IdleTimeoutEnabled && options.IdleTimeout != Timeout.InfiniteTimeSpan)
        {
            _idleMs = (long)options.IdleTimeout.TotalMilliseconds;
            TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(_idleMs / 4, 25, 1000));
            _idleTimer = new Timer(static state => ((ServerContext)state!).CloseIdleConnections(), this, period, period);
        }
    }

    public StoreServerOptions Options { get; }

    public Database Database { get; }

    /// <summary>True when the host opened the database (and closes it at stop); false when an embedding program handed it over.</summary>
    public bool OwnsDatabase { get; }

    /// <summary>The semantic caches served (binary cache operations and the HTTP sidecar).</summary>
    public ServedCaches Caches { get; } = new();

    /// <summary>The tenant rules of cache operations.</summary>
    public CacheAccess CacheAccess { get; }

    public ILogger Logger { get; }

    public ServerMetrics Metrics { get; } = new();

    /// <summary>Makes the socket transport's memory pools (blocks of <see cref="StoreServerOptions.ReceiveBufferBytes"/>).</summary>
    public ConnectionBlockPool.Factory ConnectionPools { get; }

    /// <summary>Token to tenant; empty when authentication is off.</summary>
    public Dictionary<string, string> Tokens { get; }

    /// <summary>Longest key the database accepts.</summary>
    public int MaxKeyLength { get; }

    /// <summary>Longest value the database accepts.</summary>
    public int MaxValueLength { get; }

    /// <summary>Largest reply built in memory (MultiGet); larger requests are refused.</summary>
    public int MaxReplyBytes { get; }

    /// <summary>True once a stop began: new requests get ShuttingDown.</summary>
    public bool ShuttingDown => _shuttingDown;

    /// <summary>Takes a connection slot; false at <see cref="StoreServerOptions.MaxConnections"/>.</summary>
    public bool TryAdmit()
    {
        if (Interlocked.Increment(ref _open) > Options.MaxConnections)
        {
            Interlocked.Decrement(ref _open);
            Metrics.ConnectionRejected();
            return false;
        }

        Metrics.ConnectionOpened();
        return true;
    }

    /// <summary>Registers an admitted connection and gives it an id.</summary>
    public long Register(StoreConnection connection)
    {
        long id = Interlocked.Increment(ref _nextConnectionId);
        _connections[id] = connection;
        if (_shuttingDown)
        {
            // A connection that arrives while the server stops gets a moment to send its first frames,
            // so they can be answered ShuttingDown (clearer to a client than a silent close).
            _ = Task.Delay(NewConnectionGrace).ContinueWith(static (_, state) => ((StoreConnection)state!).RequestClose(), connection, TaskScheduler.Default);
        }

        return id;
    }

    /// <summary>Releases a connection's slot.</summary>
    public void Release(long id)
    {
        _connections.TryRemove(id, out _);
        Metrics.ConnectionClosed();
        if (Interlocked.Decrement(ref _open) == 0 && _shuttingDown)
        {
            _drained?.TrySetResult();
        }
    }

    /// <summary>Marks the server as stopping and wakes every connection so it answers what it has read and closes.</summary>
    public void BeginShutdown()
    {
        Interlocked.CompareExchange(ref _drained, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        _shuttingDown = true;
        foreach (KeyValuePair<long, StoreConnection> entry in _connections)
        {
            entry.Value.RequestClose();
        }

        if (Volatile.Read(ref _open) == 0)
        {
            _drained!.TrySetResult();
        }
    }

    /// <summary>Waits until every connection closed or <paramref name="timeout"/> passed; then aborts the rest.</summary>
    public async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task drained = _drained?.Task ?? Task.CompletedTask;
        try
        {
            await drained.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            ServerLog.AbortingConnections(Logger, Volatile.Read(ref _open));
            foreach (KeyValuePair<long, StoreConnection> entry in _connections)
            {
                entry.Value.Abort();
            }

            // Aborted connections end quickly; a bounded wait keeps a wedged one from holding up the stop.
            await Task.WhenAny(drained, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None)).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _idleTimer?.Dispose();
        Caches.Dispose();
    }

    private void CloseIdleConnections()
    {
        long now = Environment.TickCount64;
        foreach (KeyValuePair<long, StoreConnection> entry in _connections)
        {
            entry.Value.CloseIfIdle(now, _idleMs);
        }
    }
}
