using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;

namespace Store.Client.Tests.Fakes;

/// <summary>
/// A loopback server speaking the wire protocol through the shared codec, whose replies the test
/// controls: a handler answers at once or holds the request (returns null) for the test to answer
/// later, in any order. Connections can be dropped and the listener stopped and restarted on the
/// same port, so reconnects, timeouts and cancellation are tested deterministically.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly Func<FakeRequest, FakeReply?> _handler;
    private readonly X509Certificate2? _certificate;
    private readonly List<FakeConnection> _connections = [];
    private readonly Channel<FakeRequest> _held = Channel.CreateUnbounded<FakeRequest>();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;

    private FakeServer(Func<FakeRequest, FakeReply?> handler, X509Certificate2? certificate)
    {
        _handler = handler;
        _certificate = certificate;
    }

    public int Port { get; private set; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Token the handshake must carry; null accepts any.</summary>
    public string? RequiredToken { get; init; }

    public uint MaxFrameBytes { get; init; } = 16 << 20;

    /// <summary>Requests the handler held (returned null for), for the test to answer.</summary>
    public ChannelReader<FakeRequest> Held => _held.Reader;

    public int AcceptedConnections { get; private set; }

    public List<FakeRequest> Received { get; } = [];

    public static FakeServer Start(Func<FakeRequest, FakeReply?> handler, X509Certificate2? certificate = null, string? requiredToken = null, uint maxFrameBytes = 16 << 20)
    {
        var server = new FakeServer(handler, certificate) { RequiredToken = requiredToken, MaxFrameBytes = maxFrameBytes };
        server.Listen(0);
        return server;
    }

    /// <summary>Stops accepting and drops every connection; <see cref="Restart"/> listens on the same port again.</summary>
    public async Task StopAsync()
    {
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop;
        }

        DropConnections();
    }

    public void Restart() => Listen(Port);

    public void DropConnections()
    {
        FakeConnection[] all;
        lock (_gate)
        {
            all = [.. _connections];
            _connections.Clear();
        }

        foreach (FakeConnection connection in all)
        {
            connection.Drop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _held.Writer.TryComplete();
    }

    internal void Record(FakeRequest request)
    {
        lock (_gate)
        {
            Received.Add(request);
        }
    }

    internal FakeReply? Handle(FakeRequest request)
    {
        Record(request);
        FakeReply? reply = _handler(request);
        if (reply is null)
        {
            _held.Writer.TryWrite(request);
        }

        return reply;
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener));
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            socket.NoDelay = true;
            _ = Task.Run(() => AcceptAsync(socket));
        }
    }

    private async Task AcceptAsync(Socket socket)
    {
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (_certificate is not null)
        {
            var tls = new SslStream(stream);
            try
            {
                await tls.AuthenticateAsServerAsync(_certificate);
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException)
            {
                await tls.DisposeAsync();
                return;
            }

            stream = tls;
        }

        var connection = new FakeConnection(this, stream);
        lock (_gate)
        {
            _connections.Add(connection);
            AcceptedConnections++;
        }

        connection.Start();
    }
}
