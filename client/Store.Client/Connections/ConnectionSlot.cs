using System.Net;

namespace Store.Client.Connections;

/// <summary>
/// One place in the client's pool: holds the current connection and, after it drops, reconnects with
/// exponential backoff (with jitter), moving through the endpoints. Requests that find no connection
/// wait for the next one until their deadline.
/// </summary>
internal sealed class ConnectionSlot : IAsyncDisposable
{
    private readonly StoreClientOptions _options;
    private readonly EndPoint[] _endpoints;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _disposed = new();
    private TaskCompletionSource<StoreConnection> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StoreConnection? _current;
    private int _endpointIndex;
    private Exception? _lastError;

    public ConnectionSlot(StoreClientOptions options, EndPoint[] endpoints, int index)
    {
        _options = options;
        _endpoints = endpoints;
        _endpointIndex = index % endpoints.Length;
    }

    /// <summary>The open connection, or null while reconnecting.</summary>
    public StoreConnection? Current => Volatile.Read(ref _current);

    /// <summary>Connects for the first time, trying each endpoint once; throws the last failure.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (int i = 0; i < _endpoints.Length; i++)
        {
            EndPoint endpoint = _endpoints[_endpointIndex];
            try
            {
                StoreConnection connection = await StoreConnection.OpenAsync(endpoint, _options, OnClosed, cancellationToken).ConfigureAwait(false);
                if (Publish(connection))
                {
                    return;
                }

                last = new StoreConnectionException($"The connection to {endpoint} closed right after the handshake.");
            }
            catch (Exception e) when (e is StoreConnectionException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }

            _endpointIndex = (_endpointIndex + 1) % _endpoints.Length;
        }

        throw last!;
    }

    /// <summary>The open connection, waiting for a reconnect up to <paramref name="deadlineMs"/>.</summary>
    public async ValueTask<StoreConnection> WaitAsync(long deadlineMs, CancellationToken cancellationToken)
    {
        while (true)
        {
            StoreConnection? current = Current;
            if (current is not null && !current.IsClosed)
            {
                return current;
            }

            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            Task<StoreConnection> ready;
            lock (_gate)
            {
                ready = _ready.Task;
            }

            long left = deadlineMs - Environment.TickCount64;
            if (left <= 0)
            {
                throw NoConnection();
            }

            StoreConnection next;
            try
            {
                next = deadlineMs == long.MaxValue
                    ? await ready.WaitAsync(cancellationToken).ConfigureAwait(false)
                    : await ready.WaitAsync(TimeSpan.FromMilliseconds(left), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw NoConnection();
            }

            if (next.IsClosed)
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false); // its close is being handled: a new wait follows
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        StoreConnection? current;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            current = _current;
            _current = null;
            _ready.TrySetException(new ObjectDisposedException(nameof(StoreClient), "The client was disposed."));
        }

        if (current is not null)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TimeoutException NoConnection() => new(
        $"No connection to {string.Join(", ", _endpoints.Select(e => e.ToString()))} within RequestTimeout ({_options.RequestTimeout.TotalMilliseconds:0} ms); the client keeps reconnecting."
        + (_lastError is { } e ? $" Last error: {e.Message}" : string.Empty),
        _lastError);

    /// <summary>Makes <paramref name="connection"/> current; false if it closed already (its close found no owner).</summary>
    private bool Publish(StoreConnection connection)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested || connection.IsClosed)
            {
                if (_disposed.IsCancellationRequested)
                {
                    connection.Close(new ObjectDisposedException(nameof(StoreClient)));
                }

                return false;
            }

            Volatile.Write(ref _current, connection);
            if (!_ready.TrySetResult(connection))
            {
                _ready = new TaskCompletionSource<StoreConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
                _ready.TrySetResult(connection);
            }

            return true;
        }
    }

    private void OnClosed(StoreConnection connection, Exception reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, connection) || _disposed.IsCancellationRequested)
            {
                return;
            }

            _lastError = reason;
            Volatile.Write(ref _current, null);
            _ready = new TaskCompletionSource<StoreConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _ = Task.Run(ReconnectLoopAsync);
    }

    private async Task ReconnectLoopAsync()
    {
        TimeSpan delay = _options.ReconnectInitialDelay;
        CancellationToken stop = _disposed.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Jitter (75%..125%) keeps many clients from reconnecting to a restarted server in lockstep.
                await Task.Delay(delay * (0.75 + (Random.Shared.NextDouble() / 2)), stop).ConfigureAwait(false);
                EndPoint endpoint = _endpoints[_endpointIndex];
                StoreConnection connection = await StoreConnection.OpenAsync(endpoint, _options, OnClosed, stop).ConfigureAwait(false);
                if (Publish(connection))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StoreException or TimeoutException or IOException or OperationCanceledException)
            {
                _lastError = e;
                _endpointIndex = (_endpointIndex + 1) % _endpoints.Length;
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
            }
        }
    }
}
