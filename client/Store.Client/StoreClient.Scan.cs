using Store.Client.Connections;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client;

public sealed partial class StoreClient
{
    /// <summary>Sends a Scan; its reply frames arrive in the returned scan's channel.</summary>
    internal async ValueTask<StreamedScan> StartScanAsync(RemoteKeyspace keyspace, ScanBody body, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long deadline = StoreConnection.DeadlineFromNow(_options.RequestTimeout);
        ConnectionSlot slot = PickSlot();
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

                handle = await open.Value.ConfigureAwait(false);
                connection.SetHandle(keyspace.Index, handle);
            }

            var scan = new StreamedScan(keyspace.Name, deadline);
            if (connection.TrySend(scan, Opcode.Scan, handle, body, cancellationToken))
            {
                return scan;
            }
        }
    }
}
