using System.Buffers;
using System.IO.Pipelines;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client.Connections;

internal sealed partial class StoreConnection
{
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, PendingRequest> _pending = [];
    private uint _nextId;
    private bool _closed;
    private Task? _sendLoop;

    /// <summary>True once the connection broke or was closed; it never opens again.</summary>
    public bool IsClosed => Volatile.Read(ref _closed);

    /// <summary>Requests waiting for their reply.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Registers <paramref name="request"/> and writes its frame; false (nothing written) when the
    /// connection is closed. The frame goes out with whatever else gathered before the send loop's next write.
    /// </summary>
    /// <exception cref="ArgumentException">The frame is larger than the server accepts.</exception>
    public bool TrySend<TBody>(PendingRequest request, Opcode opcode, uint handle, in TBody body, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
    {
        int size = body.PayloadSize;
        uint limit = Hello?.MaxFrameBytes ?? uint.MaxValue;
        if ((uint)size > limit)
        {
            throw new ArgumentException($"The {opcode} request is {size} bytes; the server at {Endpoint} accepts frames of at most {limit} bytes (its MaxFrameBytes).");
        }

        lock (_gate)
        {
            if (_closed)
            {
                return false;
            }

            uint id = unchecked(++_nextId);
            while (!_pending.TryAdd(id, request))
            {
                id = unchecked(++_nextId); // wrapped around onto a request still in flight
            }

            request.Id = id;
            request.Opcode = opcode;
            request.Connection = this;
            if (cancellationToken.CanBeCanceled)
            {
                request.WatchCancellation(cancellationToken);
                if (!_pending.ContainsKey(id))
                {
                    return true; // canceled already: the callback completed it, nothing goes out
                }
            }

            PipeWriter output = _outbound.Writer;
            var writer = new PayloadWriter(output, new FrameHeader((uint)size, id, opcode, FrameFlags.None, StatusCode.Ok, handle));
            body.Write(ref writer);
            writer.Complete();
            ValueTask<FlushResult> flush = output.FlushAsync(CancellationToken.None);
            if (flush.IsCompletedSuccessfully)
            {
                _ = flush.Result;
            }
            else
            {
                _ = flush.AsTask(); // never happens: the pipe has no pause threshold
            }
        }

        return true;
    }

    /// <summary>Removes a request that gave up (canceled); true if it was still pending, so the caller completes it.</summary>
    public bool TryAbandon(PendingRequest request)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(request.Id, out PendingRequest? found) && ReferenceEquals(found, request))
            {
                _pending.Remove(request.Id);
                return true;
            }

            return false;
        }
    }

    private async Task SendLoopAsync()
    {
        PipeReader input = _outbound.Reader;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                if (buffer.IsSingleSegment)
                {
                    await _stream.WriteAsync(buffer.First).ConfigureAwait(false);
                }
                else
                {
                    foreach (ReadOnlyMemory<byte> segment in buffer)
                    {
                        await _stream.WriteAsync(segment).ConfigureAwait(false);
                    }
                }

                input.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Close(new StoreConnectionException($"Writing to {Endpoint} failed: {e.Message}", e));
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
    }
}
