using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>A client speaking raw frames over a real socket (optionally TLS), with the shared codec only.</summary>
internal sealed class RawConnection : IAsyncDisposable
{
    /// <summary>Guards every read so a server bug fails a test instead of hanging it.</summary>
    public static readonly TimeSpan ReadGuard = TimeSpan.FromSeconds(30);

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;

    private RawConnection(Socket socket, Stream stream)
    {
        _socket = socket;
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
    }

    public Socket Socket => _socket;

    public static async Task<RawConnection> ConnectAsync(IPEndPoint endpoint, RemoteCertificateValidationCallback? tls = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endpoint);
        Stream stream = new NetworkStream(socket, ownsSocket: false);
        if (tls is not null)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, tls);
            await ssl.AuthenticateAsClientAsync("localhost");
            stream = ssl;
        }

        return new RawConnection(socket, stream);
    }

    /// <summary>Connects and completes the handshake (asserting Ok).</summary>
    public static async Task<RawConnection> OpenAsync(IPEndPoint endpoint, string token = "", RemoteCertificateValidationCallback? tls = null)
    {
        RawConnection connection = await ConnectAsync(endpoint, tls);
        Frame hello = await connection.RequestAsync(Requests.Hello(0, token));
        Assert.Equal(StatusCode.Ok, hello.Status);
        return connection;
    }

    public async Task SendAsync(params byte[][] frames)
    {
        await _stream.WriteAsync(Requests.Concat(frames));
        await _stream.FlushAsync();
    }

    public async Task<Frame> RequestAsync(byte[] frame)
    {
        await SendAsync(frame);
        return await ReadAsync();
    }

    /// <summary>Reads the next frame; throws if the connection ends first.</summary>
    public async Task<Frame> ReadAsync() =>
        await ReadOrEndAsync() ?? throw new EndOfStreamException("The server closed the connection instead of replying.");

    /// <summary>Reads the next frame, or null when the server closed the connection (or reset it).</summary>
    public async Task<Frame?> ReadOrEndAsync()
    {
        using var guard = new CancellationTokenSource(ReadGuard);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(guard.Token);
            }
            catch (IOException)
            {
                return null;
            }

            ReadOnlySequence<byte> buffer = result.Buffer;
            if (FrameReader.TryRead(ref buffer, uint.MaxValue, out FrameHeader header, out ReadOnlySequence<byte> payload) == FrameReadResult.Frame)
            {
                var frame = new Frame(header, payload.ToArray());
                _reader.AdvanceTo(buffer.Start);
                return frame;
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                return null;
            }
        }
    }

    /// <summary>Reads frames until the server closes the connection; returns them.</summary>
    public async Task<List<Frame>> ReadUntilClosedAsync()
    {
        var frames = new List<Frame>();
        while (await ReadOrEndAsync() is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    /// <summary>Reads the frames of a streamed scan reply up to the one with More clear.</summary>
    public async Task<List<Frame>> ReadStreamAsync()
    {
        var frames = new List<Frame>();
        Frame frame;
        do
        {
            frame = await ReadAsync();
            frames.Add(frame);
        }
        while (frame.More && frame.Status == StatusCode.Ok);
        return frames;
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}
