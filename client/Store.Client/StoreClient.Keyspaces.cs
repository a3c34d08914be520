using Store.Client.Connections;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client;

public sealed partial class StoreClient
{
    /// <summary>Name of the keyspace that <see cref="Default"/> stands for (handle 0 on every connection).</summary>
    public const string DefaultKeyspaceName = "default";

    private readonly Lock _keyspaceGate = new();
    private readonly Dictionary<string, RemoteKeyspace> _keyspacesByName = new(StringComparer.Ordinal);
    private RemoteKeyspace[] _keyspacesByIndex;

    /// <inheritdoc />
    public IKeyspaceStore Default => _keyspacesByIndex[0];

    /// <inheritdoc />
    /// <remarks>
    /// The keyspace is opened on one connection now and on the others (and after a reconnect) the first
    /// time a request needs it there.
    /// </remarks>
    public async ValueTask<IKeyspaceStore> GetKeyspaceAsync(string name, bool create = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_keyspaceGate)
        {
            if (_keyspacesByName.TryGetValue(name, out RemoteKeyspace? known))
            {
                return known;
            }
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        long deadline = StoreConnection.DeadlineFromNow(_options.RequestTimeout);
        ConnectionSlot slot = PickSlot();
        while (true)
        {
            StoreConnection connection = await slot.WaitAsync(deadline, cancellationToken).ConfigureAwait(false);
            ValueTask<uint>? open = TrySendOn<OpenKeyspaceBody, uint, HandleReply>(connection, name, Opcode.OpenKeyspace, 0, new OpenKeyspaceBody(name, create), deadline, cancellationToken);
            if (open is null)
            {
                continue;
            }

            uint handle = await open.Value.ConfigureAwait(false);
            RemoteKeyspace keyspace = Register(name);
            connection.SetHandle(keyspace.Index, handle);
            return keyspace;
        }
    }

    private RemoteKeyspace Register(string name)
    {
        lock (_keyspaceGate)
        {
            if (_keyspacesByName.TryGetValue(name, out RemoteKeyspace? known))
            {
                return known;
            }

            var keyspace = new RemoteKeyspace(this, name, _keyspacesByIndex.Length);
            _keyspacesByName[name] = keyspace;
            _keyspacesByIndex = [.. _keyspacesByIndex, keyspace];
            return keyspace;
        }
    }
}
