using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client.Connections;

/// <summary>
/// One multiplexed connection to a server. Callers write request frames under a short lock into an
/// outbound <see cref="Pipe"/>; a send loop moves whatever has gathered to the socket in one write,
/// so concurrent callers pipeline by themselves. A receive loop cuts reply frames with
/// <see cref="FrameReader"/> and completes the pending request with the same id.
/// </summary>
internal sealed partial class StoreConnection
{
    private const int OutboundSegmentBytes = 16 << 10;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly StoreClientOptions _options;
    private readonly Action<StoreConnection, Exception>? _onClosed;
    private readonly Pipe _outbound = new(new PipeOptions(
        readerScheduler: PipeScheduler.ThreadPool,
        writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, // flushes never wait: the server's read-ahead limit and TCP are the backpressure
        resumeWriterThreshold: 0,
        minimumSegmentSize: OutboundSegmentBytes,
        useSynchronizationContext: false));

    private long[] _handles = [0]; // keyspace index -> handle on this connection, -1 = not opened yet

    private StoreConnection(Socket socket, Stream stream, EndPoint endpoint, StoreClientOptions options, Action<StoreConnection, Exception>? onClosed)
    {
        _socket = socket;
        _stream = stream;
        _options = options;
        _onClosed = onClosed;
        Endpoint = endpoint;
        TimeSpan timeout = options.RequestTimeout;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            TimeSpan period = TimeSpan.FromMilliseconds(Math.Clamp(timeout.TotalMilliseconds / 8, 10, 1000));
            _sweeper = new Timer(static state => ((StoreConnection)state!).Sweep(), this, period, period);
        }
    }

    /// <summary>The server this connection talks to.</summary>
    public EndPoint Endpoint { get; }

    /// <summary>What the server said in the handshake.</summary>
    public HelloReply? Hello { get; private set; }

    /// <summary>
    /// Connects, runs TLS if asked, then the handshake. Fails with <see cref="StoreConnectionException"/>
    /// (no connection), <see cref="TimeoutException"/> or <see cref="StoreServerException"/> (refused handshake).
    /// </summary>
    public static async Task<StoreConnection> OpenAsync(EndPoint endpoint, StoreClientOptions options, Action<StoreConnection, Exception>? onClosed, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        StoreConnection? connection = null;
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.UseTls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                await tls.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = options.TlsTargetHost ?? EndpointAddress.HostOf(endpoint),
                        RemoteCertificateValidationCallback = options.CertificateValidation,
                    },
                    timeout.Token).ConfigureAwait(false);
            }

            connection = new StoreConnection(socket, stream, endpoint, options, onClosed);
            connection.Start();
            var hello = PendingReply<HelloReply, HelloReply>.Rent(null, long.MaxValue);
            if (!connection.TrySend(hello, Opcode.Hello, 0, new HelloBody(options.Token ?? string.Empty, options.ClientName), timeout.Token))
            {
                hello.Recycle();
                throw new StoreConnectionException($"The connection to {endpoint} closed before the handshake.");
            }

            HelloReply reply = await hello.AsValueTask().ConfigureAwait(false);
            if (reply.Version != FrameHeader.ProtocolVersion)
            {
                throw new StoreServerException(StatusCode.VersionMismatch, $"The server at {endpoint} chose protocol version {reply.Version}; this client speaks {FrameHeader.ProtocolVersion}.");
            }

            connection.Hello = reply;
            return connection;
        }
        catch (Exception e)
        {
            connection?.Close(e);
            socket.Dispose();
            if (e is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Connecting to {endpoint} took longer than ConnectTimeout ({options.ConnectTimeout.TotalMilliseconds:0} ms).", e);
            }

            if (e is SocketException or IOException or AuthenticationException)
            {
                throw new StoreConnectionException($"Could not connect to {endpoint}: {e.Message}", e);
            }

            throw;
        }
    }

    /// <summary>The handle of the keyspace with client index <paramref name="index"/> on this connection, if opened.</summary>
    public bool TryGetHandle(int index, out uint handle)
    {
        long[] handles = Volatile.Read(ref _handles);
        if ((uint)index < (uint)handles.Length && handles[index] >= 0)
        {
            handle = (uint)handles[index];
            return true;
        }

        handle = 0;
        return false;
    }

    /// <summary>Records the handle the server gave for the keyspace with client index <paramref name="index"/>.</summary>
    public void SetHandle(int index, uint handle)
    {
        lock (_gate)
        {
            long[] handles = _handles;
            if (index >= handles.Length)
            {
                long[] grown = new long[Math.Max(index + 1, handles.Length * 2)];
                Array.Fill(grown, -1);
                handles.CopyTo(grown, 0);
                handles = grown;
            }
            else
            {
                handles = (long[])handles.Clone();
            }

            handles[index] = handle;
            Volatile.Write(ref _handles, handles);
        }
    }

    private void Start()
    {
        _sendLoop = Task.Run(SendLoopAsync);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }
}
