namespace Store;

/// <summary>Outcome of <see cref="IKeyspaceStore.TimeToLiveAsync"/>.</summary>
/// <param name="Found">False when the key is absent or expired.</param>
/// <param name="Remaining">Time left before the key expires; null when it has no TTL (or is absent).</param>
public readonly record struct TimeToLiveResult(bool Found, TimeSpan? Remaining)
{
    /// <summary>The result for an absent or expired key.</summary>
    public static TimeToLiveResult Missing => default;
}
