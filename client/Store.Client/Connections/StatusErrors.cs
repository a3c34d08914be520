using System.Buffers;
using Store.Client.Protocol;

namespace Store.Client.Connections;

/// <summary>Turns an error reply into the exception the embedded store would throw where one fits.</summary>
internal static class StatusErrors
{
    public static Exception ToException(StatusCode status, in ReadOnlySequence<byte> payload, string? keyspace)
    {
        string message = Message(status, payload);
        return status switch
        {
            StatusCode.UnknownKeyspace when keyspace is not null => new KeyspaceNotFoundException(keyspace),
            StatusCode.WrongType => new ValueNotIntegerException(message),
            StatusCode.InvalidArgument or StatusCode.KeyTooLarge or StatusCode.ValueTooLarge or StatusCode.BadRequest
                => new StoreArgumentException(status, message),
            _ => new StoreServerException(status, message),
        };
    }

    /// <summary>The reply's message (a <c>string</c> field), or a stand-in when it has none.</summary>
    public static string Message(StatusCode status, in ReadOnlySequence<byte> payload)
    {
        if (payload.Length is >= 4 and <= 1 << 20)
        {
            byte[] bytes = payload.ToArray();
            try
            {
                var reader = new PayloadReader(bytes);
                string text = reader.ReadString();
                reader.End();
                if (text.Length > 0)
                {
                    return text;
                }
            }
            catch (ProtocolException)
            {
                // fall through to the stand-in
            }
        }

        return $"The server answered {status} ({(ushort)status}) without a message.";
    }
}
