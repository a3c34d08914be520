using Store.Kv;

namespace Store;

/// <summary>
/// One keyspace of an <see cref="IKeyValueStore"/>: an ordered map from byte keys to byte values
/// with per-key TTL, optional categories and conditional writes. The methods mirror
/// <see cref="Keyspace"/>; outcomes a caller expects (absent key, failed condition) are results,
/// errors are exceptions. Thread-safe.
/// </summary>
public interface IKeyspaceStore
{
    /// <summary>The keyspace's name.</summary>
    string Name { get; }

    /// <summary>Reads a value with its version and expiry; null if the key is absent or expired.</summary>
    /// <exception cref="ArgumentException">The key is empty or too long.</exception>
    ValueTask<StoredValue?> GetAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a value with the TTL, category and condition of <paramref name="options"/>. A condition
    /// that does not hold is a result (<see cref="WriteStatus.ConditionFailed"/>), not an exception.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or oversized key or value.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A TTL that is not positive.</exception>
    /// <exception cref="StoreException">The category does not exist (<see cref="CategoryNotFoundException"/> embedded).</exception>
    ValueTask<WriteResult> SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, SetOptions options = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes a key; false if it was absent or expired.</summary>
    ValueTask<bool> DeleteAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="delta"/> to a value holding a decimal 64-bit integer (an absent key counts
    /// as 0) and returns the sum. An existing entry keeps its TTL; a new one gets <paramref name="ttl"/>.
    /// </summary>
    /// <exception cref="ValueNotIntegerException">The value is not a decimal 64-bit integer, or the sum overflows.</exception>
    ValueTask<long> IncrementAsync(ReadOnlyMemory<byte> key, long delta = 1, TimeSpan? ttl = null, CancellationToken cancellationToken = default);

    /// <summary>Reads many keys; element i is null where <paramref name="keys"/>[i] is absent or expired.</summary>
    ValueTask<byte[]?[]> MultiGetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default);

    /// <summary>Writes many entries with one TTL and category; every item is checked before any is written.</summary>
    ValueTask MultiSetAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> items, TimeSpan? ttl = null, string? category = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The live entries of [<paramref name="fromInclusive"/>, <paramref name="toExclusive"/>) in key
    /// order (an empty <paramref name="toExclusive"/> is unbounded), at most <paramref name="limit"/>
    /// (0 = no limit). Entries stream in pages; the enumeration sees every key live for its whole run.
    /// </summary>
    IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanAsync(ReadOnlyMemory<byte> fromInclusive, ReadOnlyMemory<byte> toExclusive, int limit = 0, CancellationToken cancellationToken = default);

    /// <summary>The live entries whose key starts with <paramref name="prefix"/>, in key order, at most <paramref name="limit"/> (0 = no limit).</summary>
    IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanPrefixAsync(ReadOnlyMemory<byte> prefix, int limit = 0, CancellationToken cancellationToken = default);

    /// <summary>Sets a new TTL on a live key (clamped by its category's maximum); false if absent or expired.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive.</exception>
    ValueTask<bool> ExpireAsync(ReadOnlyMemory<byte> key, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Removes a live key's TTL (unless its category caps TTLs); false if absent or expired.</summary>
    ValueTask<bool> PersistAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>A key's remaining time to live: <see cref="TimeToLiveResult.Found"/> false if absent or expired.</summary>
    ValueTask<TimeToLiveResult> TimeToLiveAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default);

    /// <summary>Keys present, counting expired keys that active expiry has not removed yet.</summary>
    ValueTask<long> CountAsync(CancellationToken cancellationToken = default);
}
