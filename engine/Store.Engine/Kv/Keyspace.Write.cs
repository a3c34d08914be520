using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Keyspace
{
    /// <summary>
    /// Writes a value, with an optional TTL, category and condition. The TTL defaults to the
    /// category's and is clamped to its maximum.
    /// </summary>
    /// <exception cref="ArgumentException">Empty or oversized key or value, or a category of another keyspace.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A TTL that is not positive.</exception>
    public WriteResult Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, in WriteOptions options = default)
    {
        WriteResult result = Put(key, value, options, out long end);
        Finish(result, end, options.Category);
        return result;
    }

    /// <summary>Writes many entries with the same options; in <see cref="Durability.Always"/> they share one fsync.</summary>
    /// <remarks>Every item is checked before any is written: a bad key or value writes nothing.</remarks>
    public void MultiSet(IReadOnlyList<KeyValuePair<byte[], byte[]>> items, in WriteOptions options = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        CheckCategory(options.Category);
        ComputeExpiry(options.Ttl, options.Category?.Policy, 0);
        foreach (KeyValuePair<byte[], byte[]> item in items)
        {
            ArgumentNullException.ThrowIfNull(item.Key, nameof(items));
            ArgumentNullException.ThrowIfNull(item.Value, nameof(items));
            CheckKey(item.Key);
            CheckValue(item.Value);
        }

        long end = 0;
        foreach (KeyValuePair<byte[], byte[]> item in items)
        {
            Put(item.Key, item.Value, options, out long itemEnd);
            end = Math.Max(end, itemEnd);
        }

        Finish(new WriteResult(WriteStatus.Written, 0), end, options.Category);
    }

    /// <summary>Deletes a key; false if it was absent or expired.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        long now = NowMs();
        long end;
        bool live;
        using (_db.Stripes.Enter(Id, key))
        {
            if (!Index.TryGetValue(key, out long slot))
            {
                return false;
            }

            RecordMeta old = ReadMeta(slot);
            live = !old.ExpiredAt(now);
            end = RemoveLocked(key, old);
        }

        WaitIfAlways(end);
        return live;
    }

    /// <summary>
    /// Adds <paramref name="delta"/> to a value holding a decimal 64-bit integer (an absent key counts as 0)
    /// and returns the result. The entry keeps its TTL and category; a new one gets those of <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ValueNotIntegerException">The value is not a decimal integer, or the sum overflows.</exception>
    public long Increment(ReadOnlySpan<byte> key, long delta = 1, in WriteOptions options = default)
    {
        CheckKey(key);
        long now = NowMs();
        long result;
        long end;
        Span<byte> text = stackalloc byte[24];
        int category = CheckCategory(options.Category);
        using (_db.Stripes.Enter(Id, key))
        {
            long current = 0;
            long expiry = ComputeExpiry(options.Ttl, options.Category?.Policy, now);
            bool present = Index.TryGetValue(key, out long slot);
            RecordMeta? old = present ? ReadMeta(slot) : null;
            if (old is { } live && !live.ExpiredAt(now))
            {
                current = ReadInteger(key, live);
                expiry = live.Expiry;
                category = live.Category;
            }

            try
            {
                result = checked(current + delta);
            }
            catch (OverflowException)
            {
                throw new ValueNotIntegerException($"Incrementing {current} by {delta} overflows a 64-bit integer; the value is unchanged.");
            }

            Utf8Formatter.TryFormat(result, text, out int written);
            end = AppendPut(key, text[..written], RecordFlags.None, category, expiry, slot, old, out _);
        }

        Finish(new WriteResult(WriteStatus.Written, 0), end, CategoryById(category));
        return result;
    }

    /// <summary>Sets a new TTL on a live key (clamped by its category's maximum); false if absent or expired.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive (whether or not the key exists).</exception>
    public bool Expire(ReadOnlySpan<byte> key, TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return Retime(key, timeToLive);
    }

    /// <summary>Removes a live key's TTL (unless its category caps TTLs); false if absent or expired.</summary>
    public bool Persist(ReadOnlySpan<byte> key) => Retime(key, null);

    private bool Retime(ReadOnlySpan<byte> key, TimeSpan? timeToLive)
    {
        CheckKey(key);
        long now = NowMs();
        long end;
        using (_db.Stripes.Enter(Id, key))
        {
            if (!Index.TryGetValue(key, out long slot))
            {
                return false;
            }

            RecordMeta old = ReadMeta(slot);
            if (old.ExpiredAt(now))
            {
                return false;
            }

            long expiry = ComputeExpiry(timeToLive, CategoryById(old.Category)?.Policy, now, useDefault: false);
            byte[] stored = ArrayPool<byte>.Shared.Rent(Math.Max(1, old.Length));
            try
            {
                int length = CopyStoredValue(old, stored);
                end = AppendPut(key, stored.AsSpan(0, length), old.Flags, old.Category, expiry, slot, old, out _);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(stored);
            }
        }

        WaitIfAlways(end);
        return true;
    }

    private WriteResult Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, in WriteOptions options, out long end)
    {
        CheckKey(key);
        CheckValue(value);

        int category = CheckCategory(options.Category);
        // A plain overwrite reads no clock. The policy is read once: a policy changed meanwhile applies
        // from the next write on, never half to this one.
        CategoryPolicy? policy = options.Category?.Policy;
        bool clock = NeedsClock(options, policy);
        long now = clock ? NowMs() : 0;
        long expiry = clock ? ComputeExpiry(options.Ttl, policy, now) : 0;
        byte[]? compressed = null;
        try
        {
            ReadOnlySpan<byte> stored = value;
            RecordFlags flags = RecordFlags.None;
            int threshold = _db.Options.CompressionThreshold;
            if (threshold > 0 && value.Length >= threshold && Lz4.IsAvailable)
            {
                compressed = ArrayPool<byte>.Shared.Rent(sizeof(int) + Lz4.MaxCompressedLength(value.Length));
                int n = Lz4.Compress(value, compressed.AsSpan(sizeof(int)));
                if (n > 0 && n + sizeof(int) < value.Length)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(compressed, value.Length);
                    stored = compressed.AsSpan(0, sizeof(int) + n);
                    flags = RecordFlags.Compressed;
                }
            }

            using (_db.Stripes.Enter(Id, key))
            {
                if (options.Condition == WriteCondition.None)
                {
                    // One index descent: the upsert hands back the old address for the accounting.
                    end = AppendPut(key, stored, flags, category, expiry, 0, null, out long written, oldKnown: false);
                    return new WriteResult(WriteStatus.Written, written);
                }

                RecordMeta? old = null;
                bool live = false;
                bool exists = Index.TryGetValue(key, out long slot);
                if (exists)
                {
                    old = ReadMeta(slot);
                    live = !old.Value.ExpiredAt(now);
                }

                bool allowed = options.Condition switch
                {
                    WriteCondition.IfAbsent => !live,
                    WriteCondition.IfPresent => live,
                    WriteCondition.IfVersion => live && old!.Value.Sequence == options.ExpectedVersion,
                    _ => throw new ArgumentOutOfRangeException(nameof(options), options.Condition, "Unknown WriteCondition."),
                };
                if (!allowed)
                {
                    end = 0;
                    return new WriteResult(WriteStatus.ConditionFailed, 0);
                }

                end = AppendPut(key, stored, flags, category, expiry, slot, old, out long sequence);
                return new WriteResult(WriteStatus.Written, sequence);
            }
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    /// <summary>
    /// Appends a Put, points the index at it and settles the accounting. Caller holds the key's stripe.
    /// With <paramref name="oldKnown"/> false the caller did not look the key up: the index upsert finds the old record.
    /// </summary>
    private long AppendPut(ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored, RecordFlags flags, int category, long expiry, long oldSlot, RecordMeta? old, out long sequence, bool oldKnown = true)
    {
        long address = _log.Append(RecordKind.Put, flags, Id, category, expiry, 0, key, stored, out sequence);
        int aligned = RecordHeader.AlignedSize(RecordHeader.Size + key.Length + stored.Length);
        Category? owner = CategoryById(category);
        long slot = SlotOf(address, aligned, owner, expiry);
        if (!oldKnown)
        {
            if (Index.Upsert(key, slot, out long replaced))
            {
                int plainLength = PlainLengthOf(replaced);
                if (plainLength > 0)
                {
                    _log.MarkDead(replaced & AddressMask, plainLength); // no category, no TTL: nothing else to settle
                }
                else
                {
                    old = ReadMeta(replaced);
                }
            }
        }
        else if (old is null)
        {
            Index.Set(key, slot);
        }
        else if (!Index.TryUpdate(key, slot, oldSlot))
        {
            Index.Set(key, slot); // only the reference bit changed (a reader's Touch); the stripe keeps writers out
        }

        if (old is { } previous)
        {
            Forget(key, previous);
        }

        int rawLength = (flags & RecordFlags.Compressed) != 0 ? BinaryPrimitives.ReadInt32LittleEndian(stored) : stored.Length;
        Remember(key, owner, expiry, key.Length + (long)rawLength);
        return address + aligned;
    }

    /// <summary>Appends a tombstone and drops the key. Caller holds the key's stripe.</summary>
    private long RemoveLocked(ReadOnlySpan<byte> key, in RecordMeta old)
    {
        long address = _log.Append(RecordKind.Delete, RecordFlags.None, Id, 0, 0, 0, key, default, out _);
        int length = RecordHeader.Size + key.Length;
        Index.TryRemove(key, out _);
        Forget(key, old);
        _log.MarkDead(address, length); // a tombstone is garbage to compaction from the start
        return address + RecordHeader.AlignedSize(length);
    }

    /// <summary>Accounting for a record that stopped being the key's current one.</summary>
    private void Forget(ReadOnlySpan<byte> key, in RecordMeta old, bool markDead = true)
    {
        if (markDead)
        {
            _log.MarkDead(old.Address, old.Length);
        }

        if (CategoryById(old.Category) is { } category)
        {
            Interlocked.Decrement(ref category.EntryCount);
            Interlocked.Add(ref category.ByteCount, -old.Bytes);
        }

        if (old.Expiry != 0)
        {
            _db.Expiry.Remove(Id, old.Category, old.Expiry, key);
        }
    }

    /// <summary>Accounting for a record that became the key's current one.</summary>
    private void Remember(ReadOnlySpan<byte> key, Category? category, long expiry, long bytes)
    {
        if (category is not null)
        {
            Interlocked.Increment(ref category.EntryCount);
            Interlocked.Add(ref category.ByteCount, bytes);
            if (category.HasQuota)
            {
                category.EvictionQueue.Enqueue(key.ToArray());
            }
        }

        if (expiry != 0)
        {
            _db.Expiry.Add(Id, category?.Id ?? 0, expiry, key);
        }
    }

    /// <summary>True when a write's TTL, its category's TTL policy or its condition needs the time.</summary>
    private static bool NeedsClock(in WriteOptions options, CategoryPolicy? policy) =>
        options.Ttl is not null
        || options.Condition != WriteCondition.None
        || policy is { DefaultTtl: not null } or { MaxTtl: not null };

    private void Finish(WriteResult result, long end, Category? category)
    {
        if (result.Written)
        {
            WaitIfAlways(end);
            if (category is { HasQuota: true } && category.OverQuota)
            {
                Evict(category);
            }
        }
    }

    private void WaitIfAlways(long end)
    {
        if (_db.Options.Durability == Durability.Always && end > 0)
        {
            _log.WaitDurable(end);
        }
    }

    private void CheckValue(ReadOnlySpan<byte> value)
    {
        if (value.Length > _db.Options.EffectiveMaxValueLength)
        {
            throw new ArgumentException(
                $"Value is {value.Length} bytes; this database accepts values of at most {_db.Options.EffectiveMaxValueLength} bytes (DatabaseOptions.MaxValueLength).", nameof(value));
        }
    }

    private int CheckCategory(Category? category)
    {
        if (category is null)
        {
            return 0;
        }

        if (category.Keyspace != this)
        {
            throw new ArgumentException($"Category '{category.Name}' belongs to keyspace '{category.Keyspace.Name}', not '{Name}'.", nameof(category));
        }

        return category.Id;
    }

    /// <summary>Absolute expiry (unix ms, 0 = never) from a requested TTL and the category's default and maximum.</summary>
    private static long ComputeExpiry(TimeSpan? requested, CategoryPolicy? policy, long now, bool useDefault = true)
    {
        if (requested is { } ttl && ttl <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(WriteOptions.Ttl), ttl, "A TTL must be positive; delete the key to remove it now.");
        }

        TimeSpan? effective = requested ?? (useDefault ? policy?.DefaultTtl : null);
        if (policy?.MaxTtl is { } max && (effective is null || effective > max))
        {
            effective = max;
        }

        return effective is { } e ? now + Math.Max(1, (long)Math.Ceiling(e.TotalMilliseconds)) : 0;
    }

    private long ReadInteger(ReadOnlySpan<byte> key, in RecordMeta meta)
    {
        Span<byte> value = stackalloc byte[32];
        if (meta.RawValueLength > value.Length || !_log.TryRead(meta.Address, out RecordRef record))
        {
            throw new ValueNotIntegerException($"The value of this key is {meta.RawValueLength} bytes, not a decimal 64-bit integer.");
        }

        using (record)
        {
            RecordMeta.CopyValue(record, value[..meta.RawValueLength], meta.Address);
        }

        if (!Utf8Parser.TryParse(value[..meta.RawValueLength], out long parsed, out int consumed) || consumed != meta.RawValueLength)
        {
            throw new ValueNotIntegerException($"The value of key '{Convert.ToHexString(key)}' is not a decimal 64-bit integer.");
        }

        return parsed;
    }

    private int CopyStoredValue(in RecordMeta meta, byte[] destination)
    {
        if (!_log.TryRead(meta.Address, out RecordRef record))
        {
            throw new InvalidOperationException($"Log address {meta.Address} vanished while its key's stripe was held.");
        }

        using (record)
        {
            record.StoredValue.CopyTo(destination);
            return record.StoredValue.Length;
        }
    }
}
