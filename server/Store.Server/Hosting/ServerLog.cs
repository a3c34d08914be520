using Microsoft.Extensions.Logging;
using Store.Client.Protocol;

namespace Store.Server;

/// <summary>The server's log messages (source-generated).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Store server listening on {Endpoint} (TLS: {Tls}, auth: {Auth}), admin on {AdminEndpoint}, data in {DataDirectory}")]
    public static partial void Started(ILogger logger, string endpoint, bool tls, bool auth, string adminEndpoint, string dataDirectory);

    [LoggerMessage(2, LogLevel.Information, "Store server stopping: answering in-flight requests, then closing {Connections} connections")]
    public static partial void Stopping(ILogger logger, long connections);

    [LoggerMessage(3, LogLevel.Information, "Store server stopped; database at {DataDirectory} flushed and closed")]
    public static partial void Stopped(ILogger logger, string dataDirectory);

    [LoggerMessage(4, LogLevel.Warning, "Shutdown timeout passed with {Connections} connections still open; aborting them")]
    public static partial void AbortingConnections(ILogger logger, int connections);

    [LoggerMessage(5, LogLevel.Warning, "Connection from {Remote} refused: {Limit} connections are open (MaxConnections)")]
    public static partial void ConnectionRefused(ILogger logger, string remote, int limit);

    [LoggerMessage(6, LogLevel.Information, "Connection {Id} from {Remote} closed: {Reason}")]
    public static partial void ConnectionClosedWithReason(ILogger logger, long id, string remote, string reason);

    [LoggerMessage(7, LogLevel.Debug, "Connection {Id} from {Remote} ended")]
    public static partial void ConnectionEnded(ILogger logger, long id, string remote);

    [LoggerMessage(8, LogLevel.Error, "Request {RequestId} ({Opcode}) on connection {Id} failed with {Status}")]
    public static partial void RequestFailed(ILogger logger, Exception exception, uint requestId, Opcode opcode, long id, StatusCode status);

    [LoggerMessage(9, LogLevel.Error, "Connection {Id} from {Remote} failed")]
    public static partial void ConnectionFailed(ILogger logger, Exception exception, long id, string remote);

    [LoggerMessage(10, LogLevel.Debug, "Connection {Id} from {Remote} lost: {Message}")]
    public static partial void ConnectionLost(ILogger logger, long id, string remote, string message);

    [LoggerMessage(11, LogLevel.Error, "Sidecar request {Method} {Path} failed")]
    public static partial void SidecarFailed(ILogger logger, Exception exception, string method, string path);
}
