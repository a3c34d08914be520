using Store.Client.Connections;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client;

public sealed partial class StoreClient
{
    /// <summary>
    /// Sends one request on the keyspace with client index <paramref name="keyspace"/> and returns its
    /// reply. The fast path (connection up, keyspace opened on it) completes with no allocation of its
    /// own; otherwise it waits for a reconnect and opens the keyspace first.
    /// </summary>
    internal ValueTask<TResult> Execute<TBody, TResult, TParser>(RemoteKeyspace keyspace, Opcode opcode, in TBody body, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
        where TParser : IReplyParser<TResult>
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }

        if (_disposed)
        {
            return ValueTask.FromException<TResult>(new ObjectDisposedException(nameof(StoreClient)));
        }

        long deadline = StoreConnection.DeadlineFromNow(_options.RequestTimeout);
        ConnectionSlot slot = PickSlot();
        StoreConnection? connection = slot.Current;
        if (connection is not null && connection.TryGetHandle(keyspace.Index, out uint handle))
        {
            var request = PendingReply<TResult, TParser>.Rent(keyspace.Name, deadline);
            try
            {
                if (connection.TrySend(request, opcode, handle, body, cancellationToken))
                {
                    return request.AsValueTask();
                }
            }
            catch (ArgumentException e)
            {
                request.Recycle();
                return ValueTask.FromException<TResult>(e);
            }

            request.Recycle();
        }

        return ExecuteSlowAsync<TBody, TResult, TParser>(slot, keyspace, opcode, body, deadline, cancellationToken);
    }

    /// <summary>Sends a request that works on no keyspace (handle 0 with no keyspace to name in errors).</summary>
    private async ValueTask<TResult> SendAsync<TBody, TResult, TParser>(string? keyspaceName, Opcode opcode, uint handle, TBody body, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
        where TParser : IReplyParser<TResult>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long deadline = StoreConnection.DeadlineFromNow(_options.RequestTimeout);
        ConnectionSlot slot = PickSlot();
        while (true)
        {
            StoreConnection connection = await slot.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (TrySendOn<TBody, TResult, TParser>(connection, keyspaceName, opcode, handle, body, deadline, cancellationToken) is { } reply)
            {
                return await reply.ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<TResult> ExecuteSlowAsync<TBody, TResult, TParser>(ConnectionSlot slot, RemoteKeyspace keyspace, Opcode opcode, TBody body, long deadline, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
        where TParser : IReplyParser<TResult>
    {
        while (true)
        {
            StoreConnection connection = await slot.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            if (!connection.TryGetHandle(keyspace.Index, out uint handle))
            {
                ValueTask<uint>? open = TrySendOn<OpenKeyspaceBody, uint, HandleReply>(connection, keyspace.Name, Opcode.OpenKeyspace, 0, new OpenKeyspaceBody(keyspace.Name, false), deadline, cancellationToken);
                if (open is null)
                {
                    continue;
                }

                try
                {
                    handle = await open.Value.ConfigureAwait(false);
                }
                catch (StoreConnectionException) when (connection.IsClosed)
                {
                    continue; // dropped while opening: nothing was done yet, so wait for the reconnect and retry
                }

                connection.SetHandle(keyspace.Index, handle);
            }

            if (TrySendOn<TBody, TResult, TParser>(connection, keyspace.Name, opcode, handle, body, deadline, cancellationToken) is { } reply)
            {
                return await reply.ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a request on <paramref name="connection"/>; null when it is closed (the caller waits for the next).</summary>
    private static ValueTask<TResult>? TrySendOn<TBody, TResult, TParser>(StoreConnection connection, string? keyspaceName, Opcode opcode, uint handle, in TBody body, long deadline, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
        where TParser : IReplyParser<TResult>
    {
        var request = PendingReply<TResult, TParser>.Rent(keyspaceName, deadline);
        try
        {
            if (connection.TrySend(request, opcode, handle, body, cancellationToken))
            {
                return request.AsValueTask();
            }
        }
        catch
        {
            request.Recycle();
            throw;
        }

        request.Recycle();
        return null;
    }
}
