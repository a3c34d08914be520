using Microsoft.AspNetCore.Connections;

namespace Store.Server;

/// <summary>Kestrel's entry point for the binary-protocol listener: admits (or refuses) a connection and runs it.</summary>
internal sealed class StoreConnectionHandler(ServerContext server) : ConnectionHandler
{
    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        if (!server.TryAdmit())
        {
            ServerLog.ConnectionRefused(server.Logger, connection.RemoteEndPoint?.ToString() ?? "?", server.Options.MaxConnections);
            return; // returning closes the socket
        }

        using var session = new StoreConnection(server, connection);
        session.Id = server.Register(session);
        try
        {
            await session.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            server.Release(session.Id);
        }
    }
}
