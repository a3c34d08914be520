using Store.Cache;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client;

public sealed partial class StoreClient
{
    /// <summary>
    /// A semantic cache the server serves, as an <see cref="ISemanticCache"/>: code written against the
    /// embedded <see cref="SemanticCache"/> runs against the server by changing how the cache is opened.
    /// Asks the server for the cache's dimension (and so checks it is served).
    /// </summary>
    /// <exception cref="StoreServerException">Status <see cref="StatusCode.UnknownCache"/>: the server serves no cache of that name.</exception>
    public async ValueTask<RemoteSemanticCache> OpenSemanticCacheAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int dimension = await SendCacheAsync<CacheNameBody, int, CacheDimensionReply>(Opcode.CacheOpen, new CacheNameBody(name), cancellationToken).ConfigureAwait(false);
        return new RemoteSemanticCache(this, name, dimension);
    }

    /// <summary>Sends a cache operation (they name their cache in the payload and use handle 0).</summary>
    internal ValueTask<TResult> SendCacheAsync<TBody, TResult, TParser>(Opcode opcode, TBody body, CancellationToken cancellationToken)
        where TBody : struct, IRequestBody
        where TParser : IReplyParser<TResult> => SendAsync<TBody, TResult, TParser>(null, opcode, 0, body, cancellationToken);
}
