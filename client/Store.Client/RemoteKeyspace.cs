using Store.Client.Protocol;
using Store.Client.Requests;
using Store.Kv;

namespace Store.Client;

/// <summary>
/// A keyspace on a server, reached through a <see cref="StoreClient"/>. Arguments the embedded store
/// would refuse (empty key, TTL not positive) are refused here before anything is sent, with the same
/// exception types. Obtain one from <see cref="StoreClient.GetKeyspaceAsync"/> or <see cref="StoreClient.Default"/>.
/// </summary>
public sealed partial class RemoteKeyspace : IKeyspaceStore
{
    private readonly StoreClient _client;

    internal RemoteKeyspace(StoreClient client, string name, int index)
    {
        _client = client;
        Name = name;
        Index = index;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The client's number for this keyspace (handles are per connection).</summary>
    internal int Index { get; }

    /// <inheritdoc />
    public ValueTask<StoredValue?> GetAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        CheckKey(key) is { } bad
            ? ValueTask.FromException<StoredValue?>(bad)
            : _client.Execute<KeyBody, StoredValue?, GetReply>(this, Opcode.Get, new KeyBody(key), cancellationToken);

    /// <inheritdoc />
    public ValueTask<WriteResult> SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, SetOptions options = default, CancellationToken cancellationToken = default)
    {
        Exception? bad = CheckKey(key) ?? CheckTtl(options.Ttl) ?? CheckCondition(options.Condition);
        return bad is not null
            ? ValueTask.FromException<WriteResult>(bad)
            : _client.Execute<SetBody, WriteResult, SetReply>(this, Opcode.Set, new SetBody(key, value, options), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        CheckKey(key) is { } bad
            ? ValueTask.FromException<bool>(bad)
            : _client.Execute<KeyBody, bool, FlagReply>(this, Opcode.Delete, new KeyBody(key), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> IncrementAsync(ReadOnlyMemory<byte> key, long delta = 1, TimeSpan? ttl = null, CancellationToken cancellationToken = default) =>
        (CheckKey(key) ?? CheckTtl(ttl)) is { } bad
            ? ValueTask.FromException<long>(bad)
            : _client.Execute<IncrementBody, long, Int64Reply>(this, Opcode.Increment, new IncrementBody(key, delta, ttl), cancellationToken);

    /// <inheritdoc />
    public ValueTask<byte[]?[]> MultiGetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (byte[] key in keys)
        {
            if (CheckKey(key) is { } bad)
            {
                return ValueTask.FromException<byte[]?[]>(bad);
            }
        }

        return _client.Execute<MultiGetBody, byte[]?[], MultiGetReply>(this, Opcode.MultiGet, new MultiGetBody(keys), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask MultiSetAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> items, TimeSpan? ttl = null, string? category = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (KeyValuePair<byte[], byte[]> item in items)
        {
            ArgumentNullException.ThrowIfNull(item.Key, nameof(items));
            ArgumentNullException.ThrowIfNull(item.Value, nameof(items));
            if (CheckKey(item.Key) is { } bad)
            {
                throw bad;
            }
        }

        if (CheckTtl(ttl) is { } badTtl)
        {
            throw badTtl;
        }

        await _client.Execute<MultiSetBody, bool, EmptyReply>(this, Opcode.MultiSet, new MultiSetBody(items, ttl, category), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> ExpireAsync(ReadOnlyMemory<byte> key, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        (CheckKey(key) ?? CheckTtl(timeToLive)) is { } bad
            ? ValueTask.FromException<bool>(bad)
            : _client.Execute<ExpireBody, bool, FlagReply>(this, Opcode.Expire, new ExpireBody(key, timeToLive), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> PersistAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        CheckKey(key) is { } bad
            ? ValueTask.FromException<bool>(bad)
            : _client.Execute<KeyBody, bool, FlagReply>(this, Opcode.Persist, new KeyBody(key), cancellationToken);

    /// <inheritdoc />
    public ValueTask<TimeToLiveResult> TimeToLiveAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default) =>
        CheckKey(key) is { } bad
            ? ValueTask.FromException<TimeToLiveResult>(bad)
            : _client.Execute<KeyBody, TimeToLiveResult, TimeToLiveReply>(this, Opcode.TimeToLive, new KeyBody(key), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) =>
        _client.Execute<EmptyBody, long, Int64Reply>(this, Opcode.Count, default(EmptyBody), cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"keyspace '{Name}'";

    private static ArgumentException? CheckKey(ReadOnlyMemory<byte> key) =>
        key.IsEmpty ? new ArgumentException("Keys must not be empty.", "key") : null;

    private static ArgumentOutOfRangeException? CheckTtl(TimeSpan? ttl) =>
        ttl is { } t && t <= TimeSpan.Zero
            ? new ArgumentOutOfRangeException(nameof(SetOptions.Ttl), t, "A TTL must be positive; delete the key to remove it now.")
            : null;

    private static ArgumentOutOfRangeException? CheckCondition(WriteCondition condition) =>
        Enum.IsDefined(condition) ? null : new ArgumentOutOfRangeException(nameof(SetOptions.Condition), condition, "Condition must be None, IfAbsent, IfPresent or IfVersion.");
}
