using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// One binary-protocol connection. Its read loop cuts every complete frame out of each read, runs the
/// request inline (KV operations on the embedded engine are synchronous and short), writes the reply
/// into the <see cref="PipeWriter"/> and flushes once per read, so a pipelined burst costs one write.
/// At most <see cref="StoreServerOptions.MaxInFlightPerConnection"/> replies wait unflushed: then the
/// loop flushes, and while the client does not take its replies the flush waits and nothing more is read
/// (backpressure). Scans stream their reply in bounded batches, flushing between them.
/// </summary>
internal sealed partial class StoreConnection : IDisposable
{
    /// <summary>Unflushed reply bytes that make the loop flush before reading on.</summary>
    private const int FlushThresholdBytes = 256 * 1024;

    private readonly ServerContext _server;
    private readonly ConnectionContext _context;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly ILogger _logger;
    private readonly ServerMetrics _metrics;
    private readonly uint _maxPayload;
    private readonly int _maxInFlight;
    private readonly ValueReplyWriter _valueWriter;
    private readonly ReplyBuffer _replyBuffer = new();
    private readonly List<Keyspace?> _handles = [null];
    private byte[] _payloadCopy = [];
    private string? _tenant;
    private bool _handshaken;
    private long _unflushedBytes;
    private int _unflushedReplies;
    private long _lastActivity = Environment.TickCount64;
    private long _operationClock;
    private volatile string? _closeReason;
    private volatile bool _closeRequested;
    private bool _closeAfterError;
    private bool _refusedWhileStopping;

    public StoreConnection(ServerContext server, ConnectionContext context)
    {
        _server = server;
        _context = context;
        _input = context.Transport.Input;
        _output = context.Transport.Output;
        _logger = server.Logger;
        _metrics = server.Metrics;
        _maxPayload = (uint)server.Options.MaxFrameBytes;
        _maxInFlight = server.Options.MaxInFlightPerConnection;
        _valueWriter = new ValueReplyWriter(_output);
        _scan = new ScanCursor();
    }

    /// <summary>Id in the server's connection table (for logs).</summary>
    public long Id { get; set; }

    private string Remote => _context.RemoteEndPoint?.ToString() ?? "?";

    /// <summary>Asks the loop to answer what it has read and close (shutdown).</summary>
    public void RequestClose()
    {
        _closeRequested = true;
        _input.CancelPendingRead();
    }

    /// <summary>Closes the connection now, in-flight requests or not (shutdown timeout).</summary>
    public void Abort() => _context.Abort(new ConnectionAbortedException("The server is stopping and its shutdown timeout passed."));

    /// <summary>Closes the connection if it has been idle for <paramref name="idleMs"/> (called by the server's idle timer).</summary>
    public void CloseIfIdle(long now, long idleMs)
    {
        if (now - Volatile.Read(ref _lastActivity) > idleMs && _closeReason is null)
        {
            _closeReason = $"idle for more than {idleMs} ms (IdleTimeout)";
            _input.CancelPendingRead();
            _output.CancelPendingFlush();
        }
    }

    /// <summary>Runs the read loop until the client leaves, an error closes the connection or the server stops.</summary>
    public async Task RunAsync()
    {
        try
        {
            await ReadLoopAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException)
        {
            ServerLog.ConnectionLost(_logger, Id, Remote, e.Message);
        }
        catch (Exception e)
        {
            ServerLog.ConnectionFailed(_logger, e, Id, Remote);
        }

        if (_closeReason is { } reason)
        {
            ServerLog.ConnectionClosedWithReason(_logger, Id, Remote, reason);
        }
        else
        {
            ServerLog.ConnectionEnded(_logger, Id, Remote);
        }
    }

    public void Dispose()
    {
        _replyBuffer.Dispose();
        _scan.Dispose();
        if (_payloadCopy.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_payloadCopy);
            _payloadCopy = [];
        }
    }

    private async Task ReadLoopAsync()
    {
        while (true)
        {
            ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
            Touch();
            if (result.IsCanceled && _closeReason is not null)
            {
                return;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            long received = buffer.Length;
            bool close = false;
            while (!close)
            {
                BatchStep step = ProcessFrames(ref buffer);
                if (step == BatchStep.NeedMoreData)
                {
                    break;
                }

                close = step switch
                {
                    BatchStep.Flush => !await FlushAsync().ConfigureAwait(false),
                    BatchStep.Scan => !await StreamScanAsync().ConfigureAwait(false),
                    _ => true,
                };
            }

            _metrics.AddBytesReceived(received - buffer.Length);
            bool flushed = await FlushAsync().ConfigureAwait(false);
            Touch();
            if (close || !flushed)
            {
                _input.AdvanceTo(buffer.End); // what follows an error that closes the connection is dropped
                await LingerAsync().ConfigureAwait(false);
                return;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);

            if (_closeRequested || _refusedWhileStopping)
            {
                _closeReason ??= "the server is stopping";
                return;
            }

            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                {
                    _closeReason = $"the client closed in the middle of a frame ({buffer.Length} bytes of it received)";
                }

                return;
            }
        }
    }

    /// <summary>Flushes pending replies; false if the connection should close (client gone, idle, canceled).</summary>
    private async ValueTask<bool> FlushAsync()
    {
        if (_unflushedBytes == 0)
        {
            return true;
        }

        _metrics.AddBytesSent(_unflushedBytes);
        _unflushedBytes = 0;
        _unflushedReplies = 0;
        FlushResult result = await _output.FlushAsync().ConfigureAwait(false);
        Touch();
        return !result.IsCanceled && !result.IsCompleted;
    }

    /// <summary>
    /// After an error that closes the connection, reads and drops what the client still sends for a
    /// moment (bounded in time and bytes), so closing does not reset the socket before the client read
    /// the reply that says why.
    /// </summary>
    private async Task LingerAsync()
    {
        if (!_closeAfterError || _server.ShuttingDown)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        long drained = 0;
        try
        {
            while (drained < 4 << 20)
            {
                ReadResult result = await _input.ReadAsync(timeout.Token).ConfigureAwait(false);
                drained += result.Buffer.Length;
                _input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client kept the connection open; close it now.
        }
    }

    private void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>What the synchronous frame loop needs from the async read loop.</summary>
    private enum BatchStep
    {
        /// <summary>No whole frame left in the buffer.</summary>
        NeedMoreData,

        /// <summary>Too many replies are unflushed: flush, then go on with the same buffer.</summary>
        Flush,

        /// <summary>A scan was started: stream it, then go on.</summary>
        Scan,

        /// <summary>Write what is pending and close.</summary>
        Close,
    }
}
