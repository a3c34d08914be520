using Store.Kv;

namespace Store.Cache;

public sealed partial class SemanticCache
{
    /// <summary>Stores a response for a prompt: answer and entry records in the KV tier, then the vector in its slice.</summary>
    /// <exception cref="Store.Vectors.VectorDimensionException">The vector's length is not <see cref="Dimension"/>.</exception>
    /// <exception cref="Store.Vectors.InvalidVectorException">The vector has a NaN or infinite component, or is zero.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive.</exception>
    public CacheStoreResult Store(in CacheWrite write)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(write.Partition);
        ArgumentNullException.ThrowIfNull(write.Prompt);
        CheckDimension(Dimension, write.Vector.Length);
        if (write.Ttl is { } requested && requested <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(write), requested, "CacheWrite.Ttl must be positive (or null for the category's default).");
        }

        byte[] code = new byte[_space.CodeSize];
        _space.Encode(write.Vector.Span, code);
        CategoryState category = Category(write.Category);
        CachePolicy policy = category.Policy;
        if (policy.Mode == CacheMode.Off)
        {
            return new CacheStoreResult(false, 0, TimeSpan.Zero);
        }

        TimeSpan ttl = EffectiveTtl(policy, write.Ttl);
        long now = NowMs;
        long expires = now + (long)ttl.TotalMilliseconds;
        long id = Interlocked.Increment(ref _lastId);
        string partitionKey = write.Partition.Key;

        // Answer first, entry second: an entry record is only ever read back with its answer present.
        Span<byte> key = stackalloc byte[CacheRecords.KeyLength];
        var options = new WriteOptions { Ttl = ttl };
        CacheRecords.WriteKey(CacheRecords.ResponseTag, id, key);
        _records.Set(key, CacheRecords.Response(write.Metadata.Span, write.Response.Span), options);
        CacheRecords.WriteKey(CacheRecords.EntryTag, id, key);
        _records.Set(key, CacheRecords.Entry(now, expires, write.Vector.Span, category.Name, partitionKey, write.Prompt), options);

        VectorSlice slice = Slice(new SliceKey(partitionKey, category.Name));
        int bytes = EntryBytes(write.Prompt.Length, 4 + write.Metadata.Length + write.Response.Length);
        var entry = new CachedEntry(id, slice, category, PromptKey.Of(write.Prompt), now, expires, bytes);
        Insert(entry, code, countStore: true);
        EnforceQuota(category, entry);
        return new CacheStoreResult(true, id, ttl);
    }

    /// <inheritdoc/>
    public ValueTask<CacheStoreResult> StoreAsync(CacheWrite write, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Store(write));
    }

    /// <summary>The TTL of a new entry: the request's or the default, extended while relaxed (not for strict categories), at most the maximum.</summary>
    private TimeSpan EffectiveTtl(CachePolicy policy, TimeSpan? requested)
    {
        TimeSpan ttl = requested ?? policy.DefaultTtl;
        if (ttl > policy.MaxTtl)
        {
            ttl = policy.MaxTtl;
        }

        if (_load.Relaxed && !policy.Strict)
        {
            ttl = TimeSpan.FromMilliseconds(Math.Min(ttl.TotalMilliseconds * _options.Load.TtlExtension, policy.MaxTtl.TotalMilliseconds));
        }

        return ttl < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : ttl;
    }

    private void Insert(CachedEntry entry, ReadOnlySpan<byte> code, bool countStore)
    {
        _entries[entry.Id] = entry;
        CachedEntry? replaced = entry.Slice.Add(entry, code);
        entry.Category.Add(entry);
        if (countStore)
        {
            entry.Category.Metrics.Stored();
        }

        if (replaced is not null)
        {
            Remove(replaced, CacheRemovalReason.Replaced);
        }
    }

    /// <summary>Evicts from the category until it is within quota again (expired entries first).</summary>
    private void EnforceQuota(CategoryState category, CachedEntry? spare)
    {
        while (category.OverQuota() is { } reason)
        {
            long now = NowMs;
            CachedEntry? victim = category.ChooseVictim(spare, now, _options.EvictionSample);
            if (victim is null)
            {
                return;
            }

            Remove(victim, victim.IsExpired(now) ? CacheRemovalReason.Expired : reason);
        }
    }
}
