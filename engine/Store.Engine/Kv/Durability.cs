namespace Store.Kv;

/// <summary>When an acknowledged write is safe from a crash.</summary>
public enum Durability
{
    /// <summary>No fsync: the log reaches its files in the background; a machine crash can lose recent writes.</summary>
    None,

    /// <summary>Group commit every <see cref="DatabaseOptions.GroupCommitInterval"/>: after a crash a prefix of the writes survives (default).</summary>
    Batched,

    /// <summary>A write returns only after an fsync covers it; concurrent writers share one fsync.</summary>
    Always,
}
