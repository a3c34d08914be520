using System.Buffers;
using Store.Kv;

namespace Store;

/// <summary>
/// An <see cref="IKeyspaceStore"/> over an embedded <see cref="Kv.Keyspace"/>: synchronous engine
/// calls returned as completed value tasks (an engine exception comes back as a faulted one).
/// Obtain one from <see cref="EmbeddedStore"/>.
/// </summary>
public sealed partial class EmbeddedKeyspace : IKeyspaceStore
{
    internal EmbeddedKeyspace(Keyspace keyspace)
    {
        Keyspace = keyspace;
    }

    /// <summary>The engine keyspace underneath.</summary>
    public Keyspace Keyspace { get; }

    /// <inheritdoc />
    public string Name => Keyspace.Name;

    /// <inheritdoc />
    public ValueTask<StoredValue?> GetAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var buffer = new ArrayBufferWriter<byte>(64);
            StoredValue? result = Keyspace.TryGet(key.Span, buffer, out EntryInfo info)
                ? new StoredValue(buffer.WrittenSpan.ToArray(), info.Version, info.ExpiresAtUnixMs)
                : null;
            return new ValueTask<StoredValue?>(result);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<StoredValue?>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> SetAsync(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, SetOptions options = default, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var write = new WriteOptions
            {
                Ttl = options.Ttl,
                Category = ResolveCategory(options.Category),
                Condition = options.Condition,
                ExpectedVersion = options.ExpectedVersion,
            };
            return new ValueTask<WriteResult>(Keyspace.Set(key.Span, value.Span, write));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<WriteResult>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<bool>(Keyspace.Delete(key.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<bool>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> IncrementAsync(ReadOnlyMemory<byte> key, long delta = 1, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<long>(Keyspace.Increment(key.Span, delta, new WriteOptions { Ttl = ttl }));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<long>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<byte[]?[]> MultiGetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(keys);
            cancellationToken.ThrowIfCancellationRequested();
            var values = new byte[]?[keys.Count];
            Keyspace.MultiGet(keys, values);
            return new ValueTask<byte[]?[]>(values);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<byte[]?[]>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask MultiSetAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> items, TimeSpan? ttl = null, string? category = null, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            Keyspace.MultiSet(items, new WriteOptions { Ttl = ttl, Category = ResolveCategory(category) });
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            return ValueTask.FromException(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ExpireAsync(ReadOnlyMemory<byte> key, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<bool>(Keyspace.Expire(key.Span, timeToLive));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<bool>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> PersistAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<bool>(Keyspace.Persist(key.Span));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<bool>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<TimeToLiveResult> TimeToLiveAsync(ReadOnlyMemory<byte> key, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeToLiveResult result = Keyspace.TryGetTimeToLive(key.Span, out TimeSpan? remaining)
                ? new TimeToLiveResult(true, remaining)
                : TimeToLiveResult.Missing;
            return new ValueTask<TimeToLiveResult>(result);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<TimeToLiveResult>(e);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<long>(Keyspace.Count);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<long>(e);
        }
    }

    private Category? ResolveCategory(string? name) => string.IsNullOrEmpty(name) ? null : Keyspace.GetCategory(name);
}
