namespace Store.Cache;

public sealed partial class SemanticCache
{
    /// <summary>Replaces a category's policy (in memory; reapply at open). A smaller quota evicts at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The policy is invalid; the message names the field.</exception>
    public void SetPolicy(string category, CachePolicy policy)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        CategoryState state = Category(category);
        state.Policy = policy;
        EnforceQuota(state, null);
    }

    /// <inheritdoc/>
    public ValueTask SetPolicyAsync(string category, CachePolicy policy, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SetPolicy(category, policy);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public CachePolicy GetPolicy(string category)
    {
        ArgumentNullException.ThrowIfNull(category);
        return _categories.TryGetValue(category, out CategoryState? state) ? state.Policy : _options.DefaultPolicy;
    }

    /// <inheritdoc/>
    public CacheLoadState ReportLoad(double load) => _load.Report(load);

    /// <summary>The adaptive load policy's state now.</summary>
    public CacheLoadState LoadState => _load.State;

    /// <inheritdoc/>
    public CacheMetricsSnapshot GetMetrics() => new(
        _categories.Values.OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToDictionary(c => c.Name, c => c.Metrics.Snapshot(c.Policy, c.Entries, c.Bytes), StringComparer.Ordinal),
        _load.State,
        CategoryMetrics.SimilarityBounds,
        CategoryMetrics.LatencyBounds);
}
