using System.Diagnostics.CodeAnalysis;
using Store.Cache;
using Store.Client.Protocol;
using Store.Client.Requests;
using Store.Vectors;

namespace Store.Client;

/// <summary>
/// A semantic cache served by a Store server, through the binary protocol's cache operations
/// (docs/protocol.md). Open it with <see cref="StoreClient.OpenSemanticCacheAsync"/>. It behaves like the
/// embedded <see cref="SemanticCache"/>, with these differences: errors the server finds arrive as
/// <see cref="StoreServerException"/> / <see cref="StoreArgumentException"/> (dimension and policy are
/// checked here first, so those throw the embedded exceptions); <see cref="GetOrCreateAsync"/> shares a
/// factory call among the callers of this instance only; and the synchronous <see cref="GetPolicy"/>,
/// <see cref="ReportLoad"/> and <see cref="GetMetrics"/> wait for the server (prefer their Async forms).
/// Thread-safe. Disposing it does not close the client.
/// </summary>
public sealed partial class RemoteSemanticCache : ISemanticCache
{
    private readonly StoreClient _client;
    private volatile bool _disposed;

    internal RemoteSemanticCache(StoreClient client, string name, int dimension)
    {
        _client = client;
        Name = name;
        Dimension = dimension;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public ValueTask<CacheLookupResult> LookupAsync(CacheQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckQuery(query.Partition, query.Prompt, query.Category, query.Vector.Length);
        return _client.SendCacheAsync<CacheLookupBody, CacheLookupResult, CacheLookupReply>(Opcode.CacheLookup, new CacheLookupBody(Name, query), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<CacheStoreResult> StoreAsync(CacheWrite write, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        CheckQuery(write.Partition, write.Prompt, write.Category, write.Vector.Length);
        return _client.SendCacheAsync<CacheStoreBody, CacheStoreResult, CacheStoreReply>(Opcode.CacheStore, new CacheStoreBody(Name, write), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Removes the entry whatever its partition: with tokens configured only a cache operator may do that; others use <see cref="InvalidateAsync(long, CachePartition, CancellationToken)"/>.</remarks>
    public ValueTask<bool> InvalidateAsync(long entryId, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _client.SendCacheAsync<CacheInvalidateBody, bool, FlagReply>(Opcode.CacheInvalidate, new CacheInvalidateBody(Name, entryId, null), cancellationToken);
    }

    /// <summary>Removes one entry only if it belongs to <paramref name="partition"/>; false if there is none of that id there.</summary>
    public ValueTask<bool> InvalidateAsync(long entryId, CachePartition partition, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(partition);
        return _client.SendCacheAsync<CacheInvalidateBody, bool, FlagReply>(Opcode.CacheInvalidate, new CacheInvalidateBody(Name, entryId, partition), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> InvalidatePartitionAsync(CachePartition partition, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(partition);
        return _client.SendCacheAsync<CachePartitionBody, long, Int64Reply>(Opcode.CacheInvalidatePartition, new CachePartitionBody(Name, partition), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> InvalidateCategoryAsync(string category, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(category);
        return _client.SendCacheAsync<CacheCategoryBody, long, Int64Reply>(Opcode.CacheInvalidateCategory, new CacheCategoryBody(Name, category), cancellationToken);
    }

    /// <inheritdoc/>
    public async ValueTask SetPolicyAsync(string category, CachePolicy policy, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(category);
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        await _client.SendCacheAsync<CacheSetPolicyBody, bool, EmptyReply>(Opcode.CacheSetPolicy, new CacheSetPolicyBody(Name, category, policy), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The policy in force for a category (the default policy for an unknown one).</summary>
    public ValueTask<CachePolicy> GetPolicyAsync(string category, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(category);
        return _client.SendCacheAsync<CacheCategoryBody, CachePolicy, CachePolicyReply>(Opcode.CacheGetPolicy, new CacheCategoryBody(Name, category), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Waits for the server; prefer <see cref="GetPolicyAsync"/>.</remarks>
    public CachePolicy GetPolicy(string category) => GetPolicyAsync(category).AsTask().GetAwaiter().GetResult();

    /// <summary>Reports the downstream model's load (0..1) to the server's adaptive policy.</summary>
    public ValueTask<CacheLoadState> ReportLoadAsync(double load, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (double.IsNaN(load) || load < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load, "A load is a utilisation from 0 (idle) to 1 (saturated); larger values count as 1.");
        }

        return _client.SendCacheAsync<CacheLoadBody, CacheLoadState, CacheLoadReply>(Opcode.CacheReportLoad, new CacheLoadBody(Name, Math.Min(load, 1)), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Waits for the server; prefer <see cref="ReportLoadAsync"/>.</remarks>
    public CacheLoadState ReportLoad(double load) => ReportLoadAsync(load).AsTask().GetAwaiter().GetResult();

    /// <summary>Counters and histograms per category, as the server has them now.</summary>
    public ValueTask<CacheMetricsSnapshot> GetMetricsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _client.SendCacheAsync<CacheNameBody, CacheMetricsSnapshot, CacheMetricsReply>(Opcode.CacheMetrics, new CacheNameBody(Name), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Waits for the server; prefer <see cref="GetMetricsAsync"/>.</remarks>
    public CacheMetricsSnapshot GetMetrics() => GetMetricsAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Marks this handle closed (the client and the server's cache stay open).</summary>
    public void Dispose() => _disposed = true;

    private void CheckQuery(CachePartition partition, string prompt, string category, int length)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentException.ThrowIfNullOrEmpty(category);
        if (length != Dimension)
        {
            ThrowDimension(Dimension, length);
        }
    }

    [DoesNotReturn]
    private static void ThrowDimension(int expected, int actual) => throw new VectorDimensionException(expected, actual);

    private void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(RemoteSemanticCache), $"This handle of semantic cache '{Name}' is disposed; open another with StoreClient.OpenSemanticCacheAsync.");
}
