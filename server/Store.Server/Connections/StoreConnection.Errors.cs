using Store.Client.Protocol;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    /// <summary>Answers a request that threw with the status its exception maps to; logs server faults.</summary>
    private StatusCode Fail(in FrameHeader request, Exception exception)
    {
        StatusCode status = StatusOf(exception);
        if (status is StatusCode.Internal or StatusCode.Corruption)
        {
            ServerLog.RequestFailed(_logger, exception, request.RequestId, request.Opcode, Id, status);
        }
        else if (status == StatusCode.BadRequest)
        {
            _metrics.RecordRejectedFrame(FrameRejection.BadRequest);
        }

        string message = status == StatusCode.Internal
            ? $"Internal server error ({exception.GetType().Name}): {exception.Message}"
            : exception.Message;
        return WriteError(request, status, message);
    }

    /// <summary>The status an exception from the codec or the engine earns (docs/server.md, "Errors").</summary>
    internal static StatusCode StatusOf(Exception exception) => exception switch
    {
        ProtocolException protocol => protocol.Status,
        KeyspaceNotFoundException => StatusCode.UnknownKeyspace,
        CategoryNotFoundException => StatusCode.InvalidArgument,
        ValueNotIntegerException => StatusCode.WrongType,
        StoreCorruptionException => StatusCode.Corruption,
        ObjectDisposedException => StatusCode.ShuttingDown,
        Vectors.VectorDimensionException => StatusCode.WrongDimension,
        Vectors.InvalidVectorException => StatusCode.InvalidVector,
        ArgumentException => StatusCode.InvalidArgument,
        _ => StatusCode.Internal,
    };
}
