using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;
using Store.Cache;

namespace Store.Extensions.AI;

/// <summary>
/// Chat middleware that answers from a semantic cache: a request's prompt is embedded, looked up in
/// its partition and category, and on a hit the stored response is returned without calling the
/// inner client; on a miss the inner client's response is stored. Concurrent identical misses share
/// one inner call. Responses are stored as <see cref="ChatResponse"/> JSON.
/// </summary>
public sealed class SemanticCachingChatClient : DelegatingChatClient
{
    private static readonly JsonTypeInfo ResponseType = AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ChatResponse));

    private readonly ISemanticCache _cache;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly SemanticCachingChatClientOptions _options;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    /// <param name="innerClient">The client that answers misses.</param>
    /// <param name="cache">The cache (embedded or remote).</param>
    /// <param name="embedder">Embeds prompts; its vectors must have the cache's dimension.</param>
    /// <param name="options">Partition and category resolution; null for defaults.</param>
    public SemanticCachingChatClient(IChatClient innerClient, ISemanticCache cache, IEmbeddingGenerator<string, Embedding<float>> embedder, SemanticCachingChatClientOptions? options = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(embedder);
        _cache = cache;
        _embedder = embedder;
        _options = options ?? new SemanticCachingChatClientOptions();
    }

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = [.. messages];
        CacheQuery query = await QueryAsync(list, options, cancellationToken).ConfigureAwait(false);
        ChatResponse? fresh = null;
        CacheFetchResult fetch = await _cache.GetOrCreateAsync(
            query,
            async token =>
            {
                fresh = await base.GetResponseAsync(list, options, token).ConfigureAwait(false);
                return new CacheValue(JsonSerializer.SerializeToUtf8Bytes(fresh, ResponseType)) { Store = IsCacheable(fresh) };
            },
            cancellationToken).ConfigureAwait(false);
        return fetch.Source == CacheFetchSource.Factory && fresh is not null ? fresh : Deserialize(fetch.Response);
    }

    /// <inheritdoc/>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ChatMessage> list = [.. messages];
        CacheQuery query = await QueryAsync(list, options, cancellationToken).ConfigureAwait(false);
        CacheLookupResult lookup = await _cache.LookupAsync(query, cancellationToken).ConfigureAwait(false);
        if (lookup.IsHit)
        {
            foreach (ChatResponseUpdate update in Deserialize(lookup.Response).ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            yield return update;
        }

        if (lookup.Status != CacheLookupStatus.Bypassed)
        {
            ChatResponse response = updates.ToChatResponse();
            if (IsCacheable(response))
            {
                await _cache.StoreAsync(new CacheWrite(query.Partition, query.Category, query.Prompt, query.Vector, JsonSerializer.SerializeToUtf8Bytes(response, ResponseType)), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<CacheQuery> QueryAsync(IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        string model = options?.ModelId ?? (GetService(typeof(ChatClientMetadata)) as ChatClientMetadata)?.DefaultModelId ?? _options.DefaultModel;
        CachePartition partition = _options.PartitionResolver is { } resolve
            ? resolve(messages, options, model)
            : ChatCacheKeys.Partition(messages, options, _options.Tenant, model);
        string category = _options.CategoryResolver is { } categorize
            ? categorize(messages, options)
            : options?.AdditionalProperties?.TryGetValue(_options.CategoryProperty, out string? named) == true && !string.IsNullOrEmpty(named) ? named : _options.DefaultCategory;
        double? minSimilarity = options?.AdditionalProperties?.TryGetValue(_options.MinSimilarityProperty, out double stricter) == true ? stricter : null;
        string prompt = ChatCacheKeys.Prompt(messages);
        ReadOnlyMemory<float> vector = await _embedder.GenerateVectorAsync(prompt, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new CacheQuery(partition, category, prompt, vector) { MinSimilarity = minSimilarity };
    }

    private bool IsCacheable(ChatResponse response) =>
        _options.CacheToolCalls || !response.Messages.Any(m => m.Contents.Any(c => c is FunctionCallContent));

    private static ChatResponse Deserialize(ReadOnlyMemory<byte> json) =>
        (ChatResponse?)JsonSerializer.Deserialize(json.Span, ResponseType) ?? throw new JsonException("A cached chat response decoded to null.");
}
