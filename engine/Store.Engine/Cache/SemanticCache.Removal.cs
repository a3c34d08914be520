namespace Store.Cache;

public sealed partial class SemanticCache
{
    /// <summary>Removes one entry; false if there was none of that id.</summary>
    public bool Invalidate(long entryId)
    {
        ThrowIfDisposed();
        return _entries.TryGetValue(entryId, out CachedEntry? entry) && Remove(entry, CacheRemovalReason.Invalidated);
    }

    /// <summary>
    /// Removes one entry only if it belongs to <paramref name="partition"/>; false if there is none of that
    /// id in that partition. A multi-tenant host uses it so that a tenant can only remove its own entries.
    /// </summary>
    public bool Invalidate(long entryId, CachePartition partition)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(partition);
        return _entries.TryGetValue(entryId, out CachedEntry? entry)
            && string.Equals(entry.Slice.PartitionKey, partition.Key, StringComparison.Ordinal)
            && Remove(entry, CacheRemovalReason.Invalidated);
    }

    /// <summary>Removes every entry of a partition (all categories); returns how many.</summary>
    public long InvalidatePartition(CachePartition partition)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(partition);
        string key = partition.Key;
        return RemoveWhere(e => e.Slice.PartitionKey == key, CacheRemovalReason.Invalidated);
    }

    /// <summary>Removes every entry of a category (all partitions); returns how many.</summary>
    public long InvalidateCategory(string category)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(category);
        if (!_categories.TryGetValue(category, out CategoryState? state))
        {
            return 0;
        }

        long removed = 0;
        foreach (CachedEntry entry in state.LiveEntries())
        {
            removed += Remove(entry, CacheRemovalReason.Invalidated) ? 1 : 0;
        }

        return removed;
    }

    /// <summary>
    /// Removes every expired entry now (lookups and evictions remove the ones they meet anyway; the KV
    /// tier drops their records on its own). A host calls this now and then; returns how many.
    /// </summary>
    public long RemoveExpired()
    {
        ThrowIfDisposed();
        long now = NowMs;
        return RemoveWhere(e => e.IsExpired(now), CacheRemovalReason.Expired);
    }

    /// <inheritdoc/>
    public ValueTask<bool> InvalidateAsync(long entryId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Invalidate(entryId));
    }

    /// <inheritdoc/>
    public ValueTask<long> InvalidatePartitionAsync(CachePartition partition, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(InvalidatePartition(partition));
    }

    /// <inheritdoc/>
    public ValueTask<long> InvalidateCategoryAsync(string category, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(InvalidateCategory(category));
    }

    private long RemoveWhere(Func<CachedEntry, bool> match, CacheRemovalReason reason)
    {
        long removed = 0;
        foreach (CachedEntry entry in _entries.Values)
        {
            if (match(entry) && Remove(entry, reason))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Takes an entry out of memory and the KV tier; false if another caller already did.</summary>
    private bool Remove(CachedEntry entry, CacheRemovalReason reason)
    {
        if (!entry.TryMarkRemoved())
        {
            return false;
        }

        entry.Slice.Remove(entry);
        entry.Category.Remove(entry);
        _entries.TryRemove(new KeyValuePair<long, CachedEntry>(entry.Id, entry));
        DeleteRecords(entry.Id);
        entry.Category.Metrics.Removed(reason);
        return true;
    }

    private void DeleteRecords(long id)
    {
        Span<byte> key = stackalloc byte[CacheRecords.KeyLength];
        CacheRecords.WriteKey(CacheRecords.EntryTag, id, key);
        _records.Delete(key);
        CacheRecords.WriteKey(CacheRecords.ResponseTag, id, key);
        _records.Delete(key);
    }
}
