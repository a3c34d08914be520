namespace Store.Extensions.Caching;

/// <summary>Settings of a <see cref="KvDistributedCache"/>.</summary>
public sealed class KvDistributedCacheOptions
{
    /// <summary>Keyspace holding the entries (created if absent; names starting with '$' are reserved). Default "distributed-cache".</summary>
    public string Keyspace { get; init; } = "distributed-cache";

    /// <summary>Sliding expiration of entries set without any expiration; null leaves them without one. Default 20 minutes (as SQL Server's cache).</summary>
    public TimeSpan? DefaultSlidingExpiration { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>The clock expirations are computed with: give the database's (<c>DatabaseOptions.TimeProvider</c>). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(Keyspace, nameof(Keyspace));
        if (DefaultSlidingExpiration is { } sliding && sliding <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(DefaultSlidingExpiration), sliding, "KvDistributedCacheOptions.DefaultSlidingExpiration must be positive or null.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
