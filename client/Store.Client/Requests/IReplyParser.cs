using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary>
/// Turns a reply payload into a result. Called only for <see cref="StatusCode.Ok"/>,
/// <see cref="StatusCode.NotFound"/> and <see cref="StatusCode.ConditionFailed"/>; other statuses become
/// exceptions before. The payload span is valid only during the call.
/// </summary>
internal interface IReplyParser<T>
{
    static abstract T Parse(StatusCode status, ReadOnlySpan<byte> payload);
}

/// <summary>Thrown by a parser when the reply breaks the protocol.</summary>
internal static class ReplyCheck
{
    public static void Ok(StatusCode status)
    {
        if (status != StatusCode.Ok)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"the server answered {status} where the protocol allows only Ok");
        }
    }
}
