using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Store.Server;

/// <summary>The HTTP admin surface: GET /health and GET /metrics (docs/server.md, "Admin"); the cache sidecar API is mapped beside it (Sidecar/).</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, ServerContext server, DateTimeOffset startedAt)
    {
        routes.MapGet("/health", (HttpContext context) => WriteHealthAsync(context, server, startedAt));
        routes.MapGet("/metrics", (HttpContext context) => WriteMetricsAsync(context, server));
    }

    private static Task WriteHealthAsync(HttpContext context, ServerContext server, DateTimeOffset startedAt)
    {
        bool stopping = server.ShuttingDown;
        context.Response.StatusCode = stopping ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", stopping ? "shutting-down" : "ok");
            json.WriteNumber("connections", server.Metrics.ConnectionsCurrent);
            json.WriteNumber("uptimeSeconds", Math.Round((DateTimeOffset.UtcNow - startedAt).TotalSeconds, 3));
            json.WriteString("dataDirectory", server.Database.Path);
            json.WriteNumber("keyspaces", server.Database.Keyspaces.Count);
            json.WriteBoolean("authentication", server.Options.AuthenticationEnabled);
            json.WriteEndObject();
        }

        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    private static Task WriteMetricsAsync(HttpContext context, ServerContext server)
    {
        var text = new StringBuilder(16 * 1024);
        server.Metrics.WriteText(text, server.Database, server.ShuttingDown);
        CacheMetricsText.Write(text, server.Caches.All);
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(text.ToString(), Encoding.UTF8, context.RequestAborted);
    }
}
