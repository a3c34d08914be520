namespace Store.Client.Protocol;

/// <summary>A frame or payload that breaks the protocol; <see cref="Status"/> is the reply it earns.</summary>
public sealed class ProtocolException(StatusCode status, string message) : Exception(message)
{
    /// <summary>The status a reply to the offending request carries.</summary>
    public StatusCode Status { get; } = status;
}
