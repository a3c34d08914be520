namespace Store.Tests.Index;

/// <summary>
/// Single-threaded reference map: a <see cref="SortedDictionary{TKey, TValue}"/> with the unsigned
/// lexicographic comparer, plus sorted parallel key/value lists so range queries cost O(log n + k).
/// Keys are stored by reference; callers must not mutate them afterwards.
/// </summary>
internal sealed class ModelMap
{
    private readonly SortedDictionary<byte[], long> _map = new(ByteKeyComparer.Instance);
    private readonly List<byte[]> _ordered = [];
    private readonly List<long> _orderedValues = [];

    public int Count => _map.Count;

    public bool TryGetValue(byte[] key, out long value) => _map.TryGetValue(key, out value);

    public bool ContainsKey(byte[] key) => _map.ContainsKey(key);

    /// <summary>Inserts or replaces.</summary>
    public void Set(byte[] key, long value)
    {
        int index = LowerBound(key);
        if (_map.ContainsKey(key))
        {
            _orderedValues[index] = value;
        }
        else
        {
            _ordered.Insert(index, key);
            _orderedValues.Insert(index, value);
        }

        _map[key] = value;
    }

    public bool Remove(byte[] key, out long value)
    {
        if (!_map.Remove(key, out value))
        {
            return false;
        }

        int index = LowerBound(key);
        _ordered.RemoveAt(index);
        _orderedValues.RemoveAt(index);
        return true;
    }

    /// <summary>Entries with from &lt;= key &lt; to (to null: unbounded), in order, at most <paramref name="limit"/>.</summary>
    public List<Entry> Range(byte[] from, byte[]? to, int limit = int.MaxValue)
    {
        var result = new List<Entry>();
        for (int i = LowerBound(from); i < _ordered.Count && result.Count < limit; i++)
        {
            byte[] key = _ordered[i];
            if (to is not null && ByteKeyComparer.Instance.Compare(key, to) >= 0)
            {
                break;
            }

            result.Add(new Entry(key, _orderedValues[i]));
        }

        return result;
    }

    public List<Entry> All() => Range([], null);

    /// <summary>Index of the first key &gt;= <paramref name="key"/>.</summary>
    private int LowerBound(byte[] key)
    {
        int lo = 0;
        int hi = _ordered.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ByteKeyComparer.Instance.Compare(_ordered[mid], key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
