using System.Buffers;
using System.IO.Pipelines;
using Store.Client.Protocol;

namespace Store.Client.Connections;

internal sealed partial class StoreConnection
{
    private const int ReceiveBufferBytes = 64 << 10;

    private readonly System.Collections.Concurrent.ConcurrentQueue<CompletionBatch> _idleBatches = new();
    private Task? _receiveLoop;
    private CompletionBatch? _batch;

    private async Task ReceiveLoopAsync()
    {
        PipeReader input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReceiveBufferBytes, minimumReadSize: 4096, leaveOpen: true));
        Exception reason;
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                try
                {
                    DispatchAll(ref buffer);
                }
                finally
                {
                    HandOffCompletions();
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    reason = new StoreConnectionException($"The server at {Endpoint} closed the connection.");
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ProtocolException or System.Net.Sockets.SocketException)
        {
            reason = e is StoreConnectionException ? e : new StoreConnectionException($"Reading from {Endpoint} failed: {e.Message}", e);
        }
        finally
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }

        Close(reason);
    }

    private void DispatchAll(ref ReadOnlySequence<byte> buffer)
    {
        while (true)
        {
            switch (FrameReader.TryRead(ref buffer, (uint)_options.MaxReplyBytes, out FrameHeader header, out ReadOnlySequence<byte> payload))
            {
                case FrameReadResult.Frame:
                    Dispatch(header, payload);
                    break;
                case FrameReadResult.TooLarge:
                    throw new StoreConnectionException($"The server at {Endpoint} sent a {header.PayloadLength}-byte reply, over MaxReplyBytes ({_options.MaxReplyBytes}); the connection is dropped.");
                default:
                    return;
            }
        }
    }

    private void Dispatch(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        PendingRequest? request;
        bool last = (header.Flags & FrameFlags.More) == 0;
        lock (_gate)
        {
            if (!_pending.TryGetValue(header.RequestId, out request))
            {
                return; // timed out or canceled meanwhile: the late reply has no one waiting
            }

            if (last)
            {
                _pending.Remove(header.RequestId);
            }
            else
            {
                request.DeadlineMs = DeadlineFromNow(_options.RequestTimeout);
            }
        }

        if (request.OnReply(header, payload))
        {
            _batch ??= _idleBatches.TryDequeue(out CompletionBatch? idle) ? idle : new CompletionBatch(_idleBatches.Enqueue);
            _batch.Add(request);
        }
    }

    /// <summary>Queues the replies this read completed to the thread pool as one work item.</summary>
    private void HandOffCompletions()
    {
        if (_batch is { Count: > 0 } batch)
        {
            _batch = null;
            ThreadPool.UnsafeQueueUserWorkItem(batch, preferLocal: false);
        }
    }

    /// <summary>The deadline of a request that starts now.</summary>
    public static long DeadlineFromNow(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
}
