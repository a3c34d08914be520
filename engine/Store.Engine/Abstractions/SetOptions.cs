using Store.Kv;

namespace Store;

/// <summary>
/// Settings of one <see cref="IKeyspaceStore.SetAsync"/>: TTL, category by name and condition. The
/// default writes unconditionally, without TTL, in no category.
/// </summary>
public readonly record struct SetOptions
{
    /// <summary>Time to live from now; null for none (or the category's default). Must be positive.</summary>
    public TimeSpan? Ttl { get; init; }

    /// <summary>Name of the entry's category (defined on the keyspace beforehand); null for none.</summary>
    public string? Category { get; init; }

    /// <summary>When the write may happen.</summary>
    public WriteCondition Condition { get; init; }

    /// <summary>Version compared with <see cref="WriteCondition.IfVersion"/>.</summary>
    public long ExpectedVersion { get; init; }
}
