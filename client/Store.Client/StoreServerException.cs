using Store.Client.Protocol;

namespace Store.Client;

/// <summary>
/// The server answered a request with an error status that no engine exception stands for
/// (<see cref="StatusCode.Forbidden"/>, <see cref="StatusCode.Unauthorized"/>, <see cref="StatusCode.ShuttingDown"/>,
/// <see cref="StatusCode.Internal"/>...). <see cref="Exception.Message"/> is the server's message.
/// </summary>
public class StoreServerException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreServerException(StatusCode status, string message)
        : base(message)
    {
        Status = status;
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public StoreServerException(StatusCode status, string message, Exception inner)
        : base(message, inner)
    {
        Status = status;
    }

    /// <summary>The status of the reply.</summary>
    public StatusCode Status { get; }
}

/// <summary>
/// The server refused a request's arguments (<see cref="StatusCode.InvalidArgument"/>,
/// <see cref="StatusCode.KeyTooLarge"/>, <see cref="StatusCode.ValueTooLarge"/>, <see cref="StatusCode.BadRequest"/>):
/// the remote counterpart of the <see cref="ArgumentException"/> the embedded store throws.
/// </summary>
public sealed class StoreArgumentException(StatusCode status, string message) : ArgumentException(message)
{
    /// <summary>The status of the reply.</summary>
    public StatusCode Status { get; } = status;
}

/// <summary>
/// The connection broke while a request was in flight, or none could be made: the request may or may
/// not have been applied. The client reconnects by itself; later requests wait for it.
/// </summary>
public sealed class StoreConnectionException : StoreException
{
    /// <summary>Creates the exception.</summary>
    public StoreConnectionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public StoreConnectionException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
