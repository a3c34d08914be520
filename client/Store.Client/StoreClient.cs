using System.Net;
using Store.Client.Connections;

namespace Store.Client;

/// <summary>
/// A remote <see cref="IKeyValueStore"/>: talks the Store wire protocol (docs/protocol.md) to a server
/// over one multiplexed connection per pool slot. Thread-safe: concurrent requests share the
/// connection and go out together (automatic pipelining); replies are matched by request id. A
/// dropped connection is re-established in the background. docs/client.md has the details.
/// </summary>
public sealed partial class StoreClient : IKeyValueStore
{
    private readonly StoreClientOptions _options;
    private readonly ConnectionSlot[] _slots;
    private int _nextSlot;
    private volatile bool _disposed;

    private StoreClient(StoreClientOptions options, EndPoint[] endpoints)
    {
        _options = options;
        _slots = new ConnectionSlot[options.PoolSize];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new ConnectionSlot(options, endpoints, i);
        }

        var defaultKeyspace = new RemoteKeyspace(this, DefaultKeyspaceName, 0);
        _keyspacesByName[DefaultKeyspaceName] = defaultKeyspace;
        _keyspacesByIndex = [defaultKeyspace];
    }

    /// <summary>The settings the client runs with.</summary>
    public StoreClientOptions Options => _options;

    /// <summary>True while every pool slot has an open connection; false while one is reconnecting.</summary>
    public bool IsConnected => _slots.All(s => s.Current is { IsClosed: false });

    /// <summary>The server's name from the handshake of the first connection.</summary>
    public string ServerName => _slots[0].Current?.Hello?.ServerName ?? string.Empty;

    /// <summary>
    /// Connects every pool slot (handshake included) and returns the client. Fails if any slot cannot
    /// reach any endpoint: <see cref="StoreConnectionException"/>, <see cref="TimeoutException"/>, or
    /// <see cref="StoreServerException"/> when the server refuses the handshake (bad token: <c>Unauthorized</c>).
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public static async Task<StoreClient> ConnectAsync(StoreClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        EndPoint[] endpoints = [.. options.Endpoints.Select(EndpointAddress.Parse)];
        var client = new StoreClient(options, endpoints);
        try
        {
            await Task.WhenAll(client._slots.Select(s => s.ConnectAsync(cancellationToken))).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Connects to one server at <paramref name="endpoint"/> (<c>host:port</c>) with default settings and an optional token.</summary>
    public static Task<StoreClient> ConnectAsync(string endpoint, string? token = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(new StoreClientOptions { Endpoints = [endpoint], Token = token }, cancellationToken);

    /// <summary>Round trip of a Ping on one connection.</summary>
    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        await SendAsync<Requests.PingBody, int, Requests.PingReply>(null, Protocol.Opcode.Ping, 0, new Requests.PingBody(ReadOnlyMemory<byte>.Empty), cancellationToken).ConfigureAwait(false);
        return System.Diagnostics.Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Closes every connection; requests still in flight fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (ConnectionSlot slot in _slots)
        {
            await slot.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ConnectionSlot PickSlot()
    {
        if (_slots.Length == 1)
        {
            return _slots[0];
        }

        uint next = (uint)Interlocked.Increment(ref _nextSlot);
        return _slots[next % (uint)_slots.Length];
    }
}
