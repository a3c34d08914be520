using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    /// <summary>Most keyspace handles one connection may open.</summary>
    private const int MaxHandles = 4096;

    private StatusCode OpenKeyspace(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        string name = reader.ReadString();
        byte create = reader.ReadByte();
        reader.End();
        if (create > 1)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"OpenKeyspace's create flag must be 0 or 1, got {create}.");
        }

        Keyspace keyspace = FindKeyspace(name, create == 1);
        int handle = _handles.IndexOf(keyspace);
        if (handle < 0)
        {
            if (_handles.Count >= MaxHandles)
            {
                throw new ProtocolException(StatusCode.InvalidArgument, $"This connection has {MaxHandles} keyspace handles open, the most it may; reuse the handles it has.");
            }

            handle = _handles.Count;
            _handles.Add(keyspace);
        }

        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, 4));
        writer.Write((uint)handle);
        writer.Complete();
        Account(4);
        return StatusCode.Ok;
    }

    /// <summary>The keyspace a request's handle names; handle 0 opens (creating) the tenant's default keyspace on first use.</summary>
    private Keyspace KeyspaceOf(in FrameHeader header)
    {
        uint handle = header.Handle;
        if (handle < (uint)_handles.Count && _handles[(int)handle] is { } keyspace)
        {
            return keyspace;
        }

        if (handle == 0)
        {
            keyspace = FindKeyspace(TenantKeyspaces.DefaultKeyspace, create: true);
            _handles[0] = keyspace;
            return keyspace;
        }

        throw new ProtocolException(StatusCode.UnknownKeyspace, $"Handle {handle} was not opened on this connection; get one from OpenKeyspace.");
    }

    private Keyspace FindKeyspace(string name, bool create)
    {
        string engineName = TenantKeyspaces.ToEngineName(_tenant, name);
        if (create)
        {
            return _server.Database.GetOrCreateKeyspace(engineName);
        }

        if (engineName.StartsWith('$') || !_server.Database.TryGetKeyspace(engineName, out Keyspace? keyspace))
        {
            throw new ProtocolException(StatusCode.UnknownKeyspace, $"Keyspace '{name}' does not exist; open it with create = 1 to create it.");
        }

        return keyspace;
    }
}
