namespace Store.Cache;

/// <summary>
/// One category of a cache: its policy (replaced at run time), its metrics and the list of its live
/// entries, from which quota eviction picks victims.
/// </summary>
internal sealed class CategoryState(string name, CachePolicy policy, int seed)
{
    private readonly List<CachedEntry> _live = [];
    private readonly Lock _lock = new();
    private readonly Random _random = new(seed);
    private CachePolicy _policy = policy;
    private long _bytes;

    public string Name { get; } = name;

    public CachePolicy Policy
    {
        get => Volatile.Read(ref _policy);
        set => Volatile.Write(ref _policy, value);
    }

    public CategoryMetrics Metrics { get; } = new();

    public long Entries
    {
        get
        {
            lock (_lock)
            {
                return _live.Count;
            }
        }
    }

    public long Bytes => Volatile.Read(ref _bytes);

    public void Add(CachedEntry entry)
    {
        lock (_lock)
        {
            entry.LedgerIndex = _live.Count;
            _live.Add(entry);
            _bytes += entry.Bytes;
        }
    }

    public void Remove(CachedEntry entry)
    {
        lock (_lock)
        {
            int index = entry.LedgerIndex;
            if (index < 0 || index >= _live.Count || !ReferenceEquals(_live[index], entry))
            {
                return;
            }

            CachedEntry last = _live[^1];
            _live[index] = last;
            last.LedgerIndex = index;
            _live.RemoveAt(_live.Count - 1);
            entry.LedgerIndex = -1;
            _bytes -= entry.Bytes;
        }
    }

    /// <summary>The reason the category is over quota now, or null if it is within it.</summary>
    public CacheRemovalReason? OverQuota()
    {
        CachePolicy policy = Policy;
        if (policy.MaxEntries > 0 && Entries > policy.MaxEntries)
        {
            return CacheRemovalReason.EntryQuota;
        }

        return policy.MaxBytes > 0 && Bytes > policy.MaxBytes ? CacheRemovalReason.ByteQuota : null;
    }

    /// <summary>
    /// The entry to evict: an expired one if any is seen, else the first by the policy's order. Every
    /// entry is considered while there are at most <paramref name="sample"/>, a seeded random sample of
    /// that many otherwise (Redis-style approximate LRU/LFU). <paramref name="spare"/> (the entry just
    /// stored) is chosen only when it is the only one.
    /// </summary>
    public CachedEntry? ChooseVictim(CachedEntry? spare, long nowMs, int sample)
    {
        CacheEvictionOrder order = Policy.Eviction;
        lock (_lock)
        {
            int count = _live.Count;
            if (count == 0)
            {
                return null;
            }

            CachedEntry? best = null;
            int draws = Math.Min(count, sample);
            for (int i = 0; i < draws; i++)
            {
                CachedEntry candidate = count <= sample ? _live[i] : _live[_random.Next(count)];
                if (ReferenceEquals(candidate, spare))
                {
                    continue;
                }

                if (candidate.IsExpired(nowMs))
                {
                    return candidate;
                }

                if (best is null || Before(candidate, best, order))
                {
                    best = candidate;
                }
            }

            return best ?? (count == 1 ? spare : null);
        }
    }

    /// <summary>Every live entry (a copy), for invalidation and sweeps.</summary>
    public CachedEntry[] LiveEntries()
    {
        lock (_lock)
        {
            return [.. _live];
        }
    }

    private static bool Before(CachedEntry a, CachedEntry b, CacheEvictionOrder order) => order switch
    {
        CacheEvictionOrder.LeastFrequentlyUsed => a.Hits != b.Hits ? a.Hits < b.Hits : a.LastHitMs < b.LastHitMs,
        CacheEvictionOrder.Oldest => a.CreatedMs != b.CreatedMs ? a.CreatedMs < b.CreatedMs : a.Id < b.Id,
        _ => a.LastHitMs != b.LastHitMs ? a.LastHitMs < b.LastHitMs : a.Id < b.Id,
    };
}
