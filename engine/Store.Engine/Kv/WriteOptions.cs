namespace Store.Kv;

/// <summary>When a write may happen.</summary>
public enum WriteCondition
{
    /// <summary>Always.</summary>
    None,

    /// <summary>Only if the key is absent (or expired).</summary>
    IfAbsent,

    /// <summary>Only if the key is present.</summary>
    IfPresent,

    /// <summary>Only if the key is present with version <see cref="WriteOptions.ExpectedVersion"/>.</summary>
    IfVersion,
}

/// <summary>Per-write settings: TTL, category and condition. The default writes unconditionally, without TTL, in no category.</summary>
public readonly record struct WriteOptions
{
    /// <summary>Time to live from now; null for none (or the category's default). Must be positive.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Category of the entry (from <see cref="Keyspace.DefineCategory"/>); null for none.</summary>
    public Category? Category { get; init; }

    /// <summary>When the write may happen.</summary>
    public WriteCondition Condition { get; init; }

    /// <summary>Version compared with <see cref="WriteCondition.IfVersion"/>.</summary>
    public long ExpectedVersion { get; init; }
}

/// <summary>What a write did.</summary>
public enum WriteStatus
{
    /// <summary>The value was written.</summary>
    Written,

    /// <summary>The condition did not hold; nothing was written.</summary>
    ConditionFailed,
}

/// <summary>Outcome of a write: its status and, if written, the new version.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Version">The version of the written entry (0 if nothing was written).</param>
public readonly record struct WriteResult(WriteStatus Status, long Version)
{
    /// <summary>True if the value was written.</summary>
    public bool Written => Status == WriteStatus.Written;
}

/// <summary>Metadata of a stored entry.</summary>
/// <param name="Version">Version assigned when the entry was last written (grows across the database).</param>
/// <param name="ExpiresAtUnixMs">Absolute expiry in Unix milliseconds; 0 when it never expires.</param>
/// <param name="CategoryId">Category id within the keyspace; 0 for none.</param>
/// <param name="ValueLength">Length of the value in bytes.</param>
public readonly record struct EntryInfo(long Version, long ExpiresAtUnixMs, int CategoryId, int ValueLength)
{
    /// <summary>Expiry time, or null if the entry never expires.</summary>
    public DateTimeOffset? ExpiresAt => ExpiresAtUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(ExpiresAtUnixMs);
}

/// <summary>Visits one entry of a scan; return false to stop. Both spans are valid only during the call.</summary>
public delegate bool KvScanVisitor(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
