using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Store.Client.Protocol;
using Store.Vectors;

namespace Store.Server.Sidecar;

/// <summary>
/// Maps what went wrong to an HTTP status and a typed JSON body <c>{"error": code, "message": ...}</c>
/// (docs/cache.md lists the codes). Client mistakes are 4xx; only a server fault is a 500 (and is logged).
/// </summary>
internal static class SidecarErrors
{
    public static (int Status, string Code) Classify(Exception exception) => exception switch
    {
        ProtocolException protocol => Classify(protocol.Status),
        JsonException => (StatusCodes.Status400BadRequest, "bad_request"),
        BadHttpRequestException bad => (bad.StatusCode, "bad_request"),
        VectorDimensionException => (StatusCodes.Status400BadRequest, "wrong_dimension"),
        InvalidVectorException => (StatusCodes.Status400BadRequest, "invalid_vector"),
        ArgumentException => (StatusCodes.Status400BadRequest, "invalid_argument"),
        ObjectDisposedException => (StatusCodes.Status503ServiceUnavailable, "shutting_down"),
        _ => (StatusCodes.Status500InternalServerError, "internal"),
    };

    public static (int Status, string Code) Classify(StatusCode status) => status switch
    {
        StatusCode.BadRequest => (StatusCodes.Status400BadRequest, "bad_request"),
        StatusCode.InvalidArgument => (StatusCodes.Status400BadRequest, "invalid_argument"),
        StatusCode.WrongDimension => (StatusCodes.Status400BadRequest, "wrong_dimension"),
        StatusCode.InvalidVector => (StatusCodes.Status400BadRequest, "invalid_vector"),
        StatusCode.ValueTooLarge => (StatusCodes.Status413PayloadTooLarge, "value_too_large"),
        StatusCode.Unauthorized => (StatusCodes.Status401Unauthorized, "unauthorized"),
        StatusCode.Forbidden => (StatusCodes.Status403Forbidden, "forbidden"),
        StatusCode.UnknownCache => (StatusCodes.Status404NotFound, "unknown_cache"),
        StatusCode.NotFound => (StatusCodes.Status404NotFound, "not_found"),
        StatusCode.ShuttingDown => (StatusCodes.Status503ServiceUnavailable, "shutting_down"),
        _ => (StatusCodes.Status500InternalServerError, "internal"),
    };

    public static Task WriteAsync(HttpContext http, ILogger logger, Exception exception)
    {
        (int status, string code) = Classify(exception);
        string message = exception switch
        {
            JsonException json => $"The request body is not the JSON this endpoint takes: {json.Message} (docs/cache.md, \"Sidecar\", lists every request's fields).",
            _ when status == StatusCodes.Status500InternalServerError => $"Internal server error ({exception.GetType().Name}): {exception.Message}",
            _ => exception.Message,
        };
        if (status == StatusCodes.Status500InternalServerError)
        {
            ServerLog.SidecarFailed(logger, exception, http.Request.Method, http.Request.Path.Value ?? string.Empty);
        }

        return WriteAsync(http, status, code, message);
    }

    public static Task WriteAsync(HttpContext http, int status, string code, string message)
    {
        if (http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        http.Response.StatusCode = status;
        return SidecarReplyWriter.WriteAsync(http.Response, new ErrorReply(code, message), SidecarJsonContext.Default.ErrorReply, http.RequestAborted);
    }
}
