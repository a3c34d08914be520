namespace Store.Client.Connections;

internal sealed partial class StoreConnection : IAsyncDisposable
{
    private readonly Timer? _sweeper;

    /// <summary>
    /// Closes the connection once: every pending request fails with a <see cref="StoreConnectionException"/>
    /// carrying <paramref name="reason"/>, then the owner hears of it (and reconnects).
    /// </summary>
    public void Close(Exception reason)
    {
        List<PendingRequest> orphans;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            Volatile.Write(ref _closed, true);
            orphans = [.. _pending.Values];
            _pending.Clear();
            _outbound.Writer.Complete();
        }

        _sweeper?.Dispose();
        try
        {
            _socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // already gone
        }

        _stream.Dispose();
        foreach (PendingRequest request in orphans)
        {
            request.Fail(reason is ObjectDisposedException
                ? reason
                : new StoreConnectionException($"The connection to {Endpoint} was lost before the reply to {request.Opcode} came; the request may or may not have been applied. ({reason.Message})", reason));
        }

        _onClosed?.Invoke(this, reason);
    }

    /// <summary>Closes the connection (pending requests fail with <see cref="ObjectDisposedException"/>) and waits for its loops.</summary>
    public async ValueTask DisposeAsync()
    {
        Close(new ObjectDisposedException("StoreClient", $"The client was disposed; the connection to {Endpoint} is closed."));
        try
        {
            await Task.WhenAll(_sendLoop ?? Task.CompletedTask, _receiveLoop ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // the loops end by failing on the disposed stream
        }
    }

    /// <summary>Fails the requests whose deadline passed.</summary>
    private void Sweep()
    {
        long now = Environment.TickCount64;
        List<PendingRequest>? expired = null;
        lock (_gate)
        {
            foreach (PendingRequest request in _pending.Values)
            {
                if (request.DeadlineMs <= now)
                {
                    (expired ??= []).Add(request);
                }
            }

            if (expired is null)
            {
                return;
            }

            foreach (PendingRequest request in expired)
            {
                _pending.Remove(request.Id);
            }
        }

        foreach (PendingRequest request in expired)
        {
            request.Fail(new TimeoutException(
                $"No reply to {request.Opcode} from {Endpoint} within RequestTimeout ({_options.RequestTimeout.TotalMilliseconds:0} ms); it may or may not have been applied."));
        }
    }
}
