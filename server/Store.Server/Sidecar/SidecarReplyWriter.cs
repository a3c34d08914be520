using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Store.Server.Sidecar;

/// <summary>
/// Writes a JSON reply whole, with a Content-Length: the headers and the body leave in one send, and the
/// client has the complete reply without waiting for the terminating chunk a streamed (chunked) reply
/// needs, which costs a second send and a second wake-up per request.
/// </summary>
internal static class SidecarReplyWriter
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static Task WriteAsync<T>(HttpResponse response, T reply, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(reply, type);
        response.ContentType = JsonContentType;
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, 0, body.Length, cancellationToken);
    }
}
