namespace Store.Bench.Peers;

/// <summary>
/// The red-black tree of the base library behind one lock. <c>SortedDictionary&lt;byte[], long&gt;</c>
/// is a wrapper of this very tree (<c>SortedSet</c> of key-value pairs) but has no way to start an
/// enumeration at a key, so a scan would walk from the smallest key; <see cref="SortedSet{T}"/> of
/// key-value entries is the same tree with <see cref="SortedSet{T}.GetViewBetween"/>, which seeks in
/// O(log n). Lookups reuse one probe entry under the lock; inserts copy the key into a new entry.
/// </summary>
internal readonly struct SortedSetIndex() : IOrderedIndex
{
    private readonly SortedSet<SortedEntry> _set = new(SortedEntryComparer.Instance);
    private readonly SortedEntry _probe = new([], 0);
    private readonly SortedEntry _aboveAll = new(null, 0);
    private readonly Lock _gate = new();

    public bool SupportsScan => true;

    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _set.Count;
            }
        }
    }

    public bool Get(ReadOnlySpan<byte> key, out long value)
    {
        lock (_gate)
        {
            if (_set.TryGetValue(Probe(key), out var entry))
            {
                value = entry.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    public void Upsert(ReadOnlySpan<byte> key, long value)
    {
        lock (_gate)
        {
            if (_set.TryGetValue(Probe(key), out var entry))
            {
                entry.Value = value;
            }
            else
            {
                _set.Add(new SortedEntry(key.ToArray(), value));
            }
        }
    }

    public bool Insert(ReadOnlySpan<byte> key, long value)
    {
        lock (_gate)
        {
            return _set.Add(new SortedEntry(key.ToArray(), value));
        }
    }

    public bool Remove(ReadOnlySpan<byte> key, out long value)
    {
        lock (_gate)
        {
            if (_set.TryGetValue(Probe(key), out var entry))
            {
                _set.Remove(entry);
                value = entry.Value;
                return true;
            }
        }

        value = 0;
        return false;
    }

    public int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum)
    {
        int visited = 0;
        if (maxCount <= 0)
        {
            return 0;
        }

        lock (_gate)
        {
            foreach (var entry in _set.GetViewBetween(Probe(fromInclusive), _aboveAll))
            {
                checksum = ScanChecksum.Fold(checksum, entry.Key!.Length, entry.Value);
                if (++visited == maxCount)
                {
                    break;
                }
            }
        }

        return visited;
    }

    /// <summary>The probe entry holding a copy of <paramref name="key"/>; call under the lock.</summary>
    private SortedEntry Probe(ReadOnlySpan<byte> key)
    {
        if (_probe.Key!.Length != key.Length)
        {
            _probe.Key = new byte[key.Length];
        }

        key.CopyTo(_probe.Key);
        return _probe;
    }
}
