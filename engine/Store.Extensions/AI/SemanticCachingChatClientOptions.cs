using Microsoft.Extensions.AI;
using Store.Cache;

namespace Store.Extensions.AI;

/// <summary>Settings of a <see cref="SemanticCachingChatClient"/>.</summary>
public sealed class SemanticCachingChatClientOptions
{
    /// <summary>Tenant of the default partition resolver. Default "default".</summary>
    public string Tenant { get; init; } = "default";

    /// <summary>Model id used when <see cref="ChatOptions.ModelId"/> is unset and the inner client reports none. Default "default".</summary>
    public string DefaultModel { get; init; } = "default";

    /// <summary>
    /// Computes the hard partition of a request; null uses <see cref="ChatCacheKeys.Partition"/> with
    /// <see cref="Tenant"/> (tenant, model, system messages and instructions, tools, response format,
    /// generation parameters). Two requests share cached answers only if their partitions are equal.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string, CachePartition>? PartitionResolver { get; init; }

    /// <summary>
    /// The category of a request; null reads <see cref="CategoryProperty"/> from
    /// <see cref="ChatOptions.AdditionalProperties"/> and falls back to <see cref="DefaultCategory"/>.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, string>? CategoryResolver { get; init; }

    /// <summary>Name of the additional property holding a request's category. Default "cache.category".</summary>
    public string CategoryProperty { get; init; } = "cache.category";

    /// <summary>Name of the additional property holding a per-request minimum similarity (only stricter counts). Default "cache.min_similarity".</summary>
    public string MinSimilarityProperty { get; init; } = "cache.min_similarity";

    /// <summary>Category of requests that name none. Default "default".</summary>
    public string DefaultCategory { get; init; } = "default";

    /// <summary>Whether responses that call tools are stored (they depend on state the prompt does not show). Default false.</summary>
    public bool CacheToolCalls { get; init; }
}
