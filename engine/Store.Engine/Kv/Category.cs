namespace Store.Kv;

/// <summary>A named category of one keyspace, with its policy and live counters.</summary>
public sealed class Category
{
    internal long EntryCount;
    internal long ByteCount;
    internal long EvictionCount;
    internal long ExpiredCount;

    internal Category(Keyspace keyspace, int id, string name, CategoryPolicy policy)
    {
        Keyspace = keyspace;
        Id = id;
        Name = name;
        Policy = policy;
    }

    /// <summary>The keyspace the category belongs to.</summary>
    public Keyspace Keyspace { get; }

    /// <summary>Id stored in records (1..65535).</summary>
    public int Id { get; }

    /// <summary>The category's name.</summary>
    public string Name { get; }

    /// <summary>The policy in force; replaced by <see cref="Keyspace.DefineCategory"/>.</summary>
    public CategoryPolicy Policy { get; internal set; }

    /// <summary>Entries now held (expired ones not yet removed included).</summary>
    public long Entries => Volatile.Read(ref EntryCount);

    /// <summary>Bytes of keys and values now held.</summary>
    public long Bytes => Volatile.Read(ref ByteCount);

    /// <summary>Entries evicted to stay within quota.</summary>
    public long Evictions => Volatile.Read(ref EvictionCount);

    /// <summary>True if the policy limits entries or bytes (eviction bookkeeping is kept only then).</summary>
    public bool HasQuota => Policy.MaxEntries > 0 || Policy.MaxBytes > 0;

    /// <summary>True while the category holds more than its policy allows.</summary>
    public bool OverQuota
    {
        get
        {
            CategoryPolicy policy = Policy;
            return (policy.MaxEntries > 0 && Entries > policy.MaxEntries) || (policy.MaxBytes > 0 && Bytes > policy.MaxBytes);
        }
    }

    /// <summary>Keys in write order, for CLOCK eviction (kept for quota'd categories only).</summary>
    internal System.Collections.Concurrent.ConcurrentQueue<byte[]> EvictionQueue { get; } = new();

    internal Lock EvictionLock { get; } = new();

    /// <summary>False while the queue may lack keys (a quota added at run time); eviction rebuilds it first.</summary>
    internal bool EvictionQueueComplete { get; set; } = true;

    /// <summary>Entries removed because their TTL passed.</summary>
    public long Expirations => Volatile.Read(ref ExpiredCount);
}
