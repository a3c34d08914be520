using System.Buffers.Binary;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Store.Kv;

namespace Store.Extensions.Caching;

/// <summary>
/// <see cref="IDistributedCache"/> over a keyspace of the KV tier. Each value is stored behind a
/// 16-byte header (absolute expiry and sliding window, in ms); the record's KV TTL is the nearer of
/// the absolute expiry and now + the sliding window, so the KV tier drops it on time by itself. A
/// read or <see cref="Refresh"/> of a sliding entry moves its TTL forward (never past the absolute expiry).
/// </summary>
public sealed class KvDistributedCache : IDistributedCache
{
    private const int HeaderLength = 16;

    private readonly Keyspace _keyspace;
    private readonly KvDistributedCacheOptions _options;

    /// <summary>Opens the cache over <see cref="KvDistributedCacheOptions.Keyspace"/> of <paramref name="database"/>.</summary>
    public KvDistributedCache(Database database, KvDistributedCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _options = options ?? new KvDistributedCacheOptions();
        _options.Validate();
        _keyspace = database.GetOrCreateKeyspace(_options.Keyspace);
    }

    /// <inheritdoc/>
    public byte[]? Get(string key)
    {
        byte[]? stored = _keyspace.Get(KeyBytes(key));
        if (stored is null || stored.Length < HeaderLength)
        {
            return null;
        }

        Slide(key, stored);
        return stored.AsSpan(HeaderLength).ToArray();
    }

    /// <inheritdoc/>
    public Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        return Task.FromResult(Get(key));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The absolute expiration is in the past, or a relative one is not positive.</exception>
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(options);
        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        DateTimeOffset? absolute = options.AbsoluteExpiration;
        if (options.AbsoluteExpirationRelativeToNow is { } relative)
        {
            if (relative <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(options), relative, "AbsoluteExpirationRelativeToNow must be positive.");
            }

            absolute = now + relative;
        }

        if (absolute is { } at && at <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(options), at, "AbsoluteExpiration must be in the future.");
        }

        TimeSpan? sliding = options.SlidingExpiration;
        if (sliding is { } window && window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), window, "SlidingExpiration must be positive.");
        }

        if (absolute is null && sliding is null)
        {
            sliding = _options.DefaultSlidingExpiration;
        }

        byte[] stored = new byte[HeaderLength + value.Length];
        BinaryPrimitives.WriteInt64LittleEndian(stored, absolute?.ToUnixTimeMilliseconds() ?? 0);
        BinaryPrimitives.WriteInt64LittleEndian(stored.AsSpan(8), (long)(sliding?.TotalMilliseconds ?? 0));
        value.CopyTo(stored, HeaderLength);
        _keyspace.Set(KeyBytes(key), stored, new WriteOptions { Ttl = TimeToLive(stored, now) });
    }

    /// <inheritdoc/>
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Set(key, value, options);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Refresh(string key)
    {
        byte[]? stored = _keyspace.Get(KeyBytes(key));
        if (stored is not null && stored.Length >= HeaderLength)
        {
            Slide(key, stored);
        }
    }

    /// <inheritdoc/>
    public Task RefreshAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Refresh(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Remove(string key) => _keyspace.Delete(KeyBytes(key));

    /// <inheritdoc/>
    public Task RemoveAsync(string key, CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        Remove(key);
        return Task.CompletedTask;
    }

    /// <summary>Moves a sliding entry's expiry to now + its window (capped at its absolute expiry).</summary>
    private void Slide(string key, byte[] stored)
    {
        if (BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(8)) == 0)
        {
            return;
        }

        if (TimeToLive(stored, _options.TimeProvider.GetUtcNow()) is { } ttl)
        {
            _keyspace.Expire(KeyBytes(key), ttl);
        }
    }

    /// <summary>The TTL an entry gets now: the nearer of its absolute expiry and its sliding window; null for none.</summary>
    private static TimeSpan? TimeToLive(byte[] stored, DateTimeOffset now)
    {
        long absoluteMs = BinaryPrimitives.ReadInt64LittleEndian(stored);
        long slidingMs = BinaryPrimitives.ReadInt64LittleEndian(stored.AsSpan(8));
        long nowMs = now.ToUnixTimeMilliseconds();
        long? ttl = null;
        if (slidingMs > 0)
        {
            ttl = slidingMs;
        }

        if (absoluteMs > 0)
        {
            ttl = Math.Min(ttl ?? long.MaxValue, absoluteMs - nowMs);
        }

        return ttl is { } ms ? TimeSpan.FromMilliseconds(Math.Max(1, ms)) : null;
    }

    private static byte[] KeyBytes(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Encoding.UTF8.GetBytes(key);
    }
}
