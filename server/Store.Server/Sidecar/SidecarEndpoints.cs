using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Store.Cache;
using Store.Client.Protocol;

namespace Store.Server.Sidecar;

/// <summary>
/// The HTTP sidecar API of the semantic caches, on the admin port under <c>/v1/caches</c> (docs/cache.md,
/// "Sidecar"): JSON in and out, bearer tokens mapped to tenants like the binary protocol's.
/// </summary>
internal static class SidecarEndpoints
{
    private const string Prefix = "/v1/caches/{name}";

    public static void Map(IEndpointRouteBuilder routes, ServerContext server)
    {
        SidecarJsonContext json = SidecarJsonContext.Default;
        routes.MapGet("/v1/caches", http => ListAsync(http, server));
        MapPost(routes, server, "/lookup", json.LookupRequest, json.LookupReply, Lookup);
        MapPost(routes, server, "/store", json.StoreRequest, json.StoreReply, Store);
        MapPost(routes, server, "/invalidate/entry", json.InvalidateEntryRequest, json.InvalidateReply, InvalidateEntry);
        MapPost(routes, server, "/invalidate/partition", json.InvalidatePartitionRequest, json.InvalidateReply, InvalidatePartition);
        MapPost(routes, server, "/invalidate/category", json.InvalidateCategoryRequest, json.InvalidateReply, InvalidateCategory);
        MapPost(routes, server, "/load", json.LoadRequest, json.LoadReply, ReportLoad);
        routes.MapPut(Prefix + "/categories/{category}/policy", http => RunAsync(http, server, json.PolicyJson, json.PolicyJson, SetPolicy));
        routes.MapGet(Prefix + "/categories/{category}/policy", http => RunAsync<object, PolicyJson>(http, server, null, json.PolicyJson, GetPolicy));
        routes.MapGet(Prefix + "/metrics", http => RunAsync<object, MetricsReply>(http, server, null, json.MetricsReply, Metrics));
    }

    private static void MapPost<TRequest, TReply>(IEndpointRouteBuilder routes, ServerContext server, string path, JsonTypeInfo<TRequest> request, JsonTypeInfo<TReply> reply, Func<SidecarCall, TRequest, TReply> handle)
        where TRequest : class => routes.MapPost(Prefix + path, http => RunAsync(http, server, request, reply, handle));

    /// <summary>Authenticates, finds the cache, reads the body (when the endpoint takes one), runs the operation and writes its reply or a typed error.</summary>
    private static async Task RunAsync<TRequest, TReply>(HttpContext http, ServerContext server, JsonTypeInfo<TRequest>? requestType, JsonTypeInfo<TReply> replyType, Func<SidecarCall, TRequest, TReply> handle)
        where TRequest : class
    {
        try
        {
            if (server.ShuttingDown)
            {
                throw new ProtocolException(StatusCode.ShuttingDown, "The server is stopping; retry on another server or after it restarts.");
            }

            string? tenant = Authenticate(http, server);
            SemanticCache cache = server.Caches.Get((string)http.Request.RouteValues["name"]!);
            TRequest? request = null;
            if (requestType is not null)
            {
                request = await JsonSerializer.DeserializeAsync(http.Request.Body, requestType, http.RequestAborted).ConfigureAwait(false)
                    ?? throw new ProtocolException(StatusCode.BadRequest, "The request body is JSON null; send a JSON object (docs/cache.md, \"Sidecar\").");
            }

            TReply reply = handle(new SidecarCall(server, cache, tenant, http), request!);
            await SidecarReplyWriter.WriteAsync(http.Response, reply, replyType, http.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e)
        {
            await SidecarErrors.WriteAsync(http, server.Logger, e).ConfigureAwait(false);
        }
    }

    private static async Task ListAsync(HttpContext http, ServerContext server)
    {
        try
        {
            Authenticate(http, server);
            var reply = new CacheListReply([.. server.Caches.All.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => new CacheInfoReply(c.Name, c.Dimension, c.Count))]);
            await SidecarReplyWriter.WriteAsync(http.Response, reply, SidecarJsonContext.Default.CacheListReply, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await SidecarErrors.WriteAsync(http, server.Logger, e).ConfigureAwait(false);
        }
    }

    /// <summary>The tenant of the request's bearer token; null when authentication is off.</summary>
    /// <exception cref="ProtocolException">Unauthorized: no token, or one the server does not know.</exception>
    private static string? Authenticate(HttpContext http, ServerContext server)
    {
        if (server.Tokens.Count == 0)
        {
            return null;
        }

        string header = http.Request.Headers[HeaderNames.Authorization].ToString();
        const string Bearer = "Bearer ";
        if (!header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            throw new ProtocolException(StatusCode.Unauthorized, "This server requires an access token: send the header 'Authorization: Bearer <token>'.");
        }

        return server.Tokens.TryGetValue(header[Bearer.Length..].Trim(), out string? tenant)
            ? tenant
            : throw new ProtocolException(StatusCode.Unauthorized, "The bearer token is not one this server knows.");
    }

    private static LookupReply Lookup(SidecarCall call, LookupRequest request)
    {
        float[] vector = SidecarFields.Vector(request.Vector, request.VectorBase64);
        CacheAccess.CheckDimension(call.Cache, vector.Length);
        CacheAccess.CheckThreshold(request.MinSimilarity);
        var query = new CacheQuery(call.Partition(request.Partition), SidecarFields.Category(request.Category), SidecarFields.Required(request.Prompt, "prompt"), vector)
        {
            MinSimilarity = request.MinSimilarity,
        };
        CacheLookupResult result = call.Cache.Lookup(query);
        call.Http.Response.Headers["X-Cache-Status"] = result.Status switch
        {
            CacheLookupStatus.ExactHit => "HIT-EXACT",
            CacheLookupStatus.SemanticHit => "HIT-SEMANTIC",
            CacheLookupStatus.StaleMiss => "STALE",
            CacheLookupStatus.Bypassed => "BYPASS",
            _ => "MISS",
        };
        return LookupReply.From(result);
    }

    private static StoreReply Store(SidecarCall call, StoreRequest request)
    {
        float[] vector = SidecarFields.Vector(request.Vector, request.VectorBase64);
        CacheAccess.CheckDimension(call.Cache, vector.Length);
        CachePartition partition = call.Partition(request.Partition);
        string category = SidecarFields.Category(request.Category);
        string prompt = SidecarFields.Required(request.Prompt, "prompt");
        byte[] response = SidecarFields.TextOrBase64(request.Response, request.ResponseBase64, "response", required: true);
        byte[] metadata = SidecarFields.TextOrBase64(request.Metadata, request.MetadataBase64, "metadata", required: false);
        if (response.Length + metadata.Length > call.Server.MaxValueLength)
        {
            throw new ProtocolException(StatusCode.ValueTooLarge,
                $"Response and metadata take {response.Length + metadata.Length} bytes; this server stores at most {call.Server.MaxValueLength} per entry.");
        }

        TimeSpan? ttl = request.TtlSeconds is { } seconds ? SidecarFields.Seconds(seconds, "ttlSeconds") : null;
        CacheStoreResult result = call.Cache.Store(new CacheWrite(partition, category, prompt, vector, response) { Metadata = metadata, Ttl = ttl });
        return new StoreReply(result.Stored, result.EntryId, result.Ttl.TotalSeconds);
    }

    private static InvalidateReply InvalidateEntry(SidecarCall call, InvalidateEntryRequest request)
    {
        long id = request.EntryId ?? throw SidecarFields.Missing("entryId");
        if (request.Partition is not null)
        {
            return new InvalidateReply(call.Cache.Invalidate(id, call.Partition(request.Partition)) ? 1 : 0);
        }

        call.RequireOperator("Invalidating an entry by id without its partition");
        return new InvalidateReply(call.Cache.Invalidate(id) ? 1 : 0);
    }

    private static InvalidateReply InvalidatePartition(SidecarCall call, InvalidatePartitionRequest request) =>
        new(call.Cache.InvalidatePartition(call.Partition(request.Partition)));

    private static InvalidateReply InvalidateCategory(SidecarCall call, InvalidateCategoryRequest request)
    {
        string category = SidecarFields.Category(request.Category);
        call.RequireOperator("Invalidating a category");
        return new InvalidateReply(call.Cache.InvalidateCategory(category));
    }

    private static LoadReply ReportLoad(SidecarCall call, LoadRequest request)
    {
        double load = request.Load ?? throw SidecarFields.Missing("load");
        CacheAccess.CheckLoad(load);
        call.RequireOperator("Reporting the downstream load");
        CacheLoadState state = call.Cache.ReportLoad(load);
        return new LoadReply(state.Load, state.Relaxed);
    }

    private static PolicyJson SetPolicy(SidecarCall call, PolicyJson request)
    {
        string category = call.RouteCategory;
        call.RequireOperator("Setting a category's policy");
        CachePolicy policy = request.Over(call.Cache.GetPolicy(category));
        call.Cache.SetPolicy(category, policy);
        return PolicyJson.From(call.Cache.GetPolicy(category));
    }

    private static PolicyJson GetPolicy(SidecarCall call, object? unused) => PolicyJson.From(call.Cache.GetPolicy(call.RouteCategory));

    private static MetricsReply Metrics(SidecarCall call, object? unused)
    {
        call.RequireOperator("Reading cache metrics");
        return MetricsReply.From(call.Cache.Name, call.Cache.GetMetrics());
    }

    /// <summary>What one request works with: the server, the cache, its tenant (null: auth off) and the HTTP exchange.</summary>
    private readonly record struct SidecarCall(ServerContext Server, SemanticCache Cache, string? Tenant, HttpContext Http)
    {
        public string RouteCategory => (string)Http.Request.RouteValues["category"]!;

        public CachePartition Partition(PartitionJson? partition) => Server.CacheAccess.Partition(Tenant, SidecarFields.Partition(partition).ToFields());

        public void RequireOperator(string operation) => Server.CacheAccess.RequireOperator(Tenant, operation);
    }
}
