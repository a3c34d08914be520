namespace Store.Tests.Kv;

/// <summary>A model entry: value, version and absolute expiry (Unix ms, 0 = never), as the engine defines them.</summary>
internal readonly record struct ModelEntry(byte[] Value, long Version, long ExpiresAtMs)
{
    public bool ExpiredAt(long nowMs) => ExpiresAtMs != 0 && ExpiresAtMs <= nowMs;
}

/// <summary>The reference model of one keyspace: a sorted map whose expired entries count as absent.</summary>
internal sealed class KvModel
{
    private readonly SortedDictionary<byte[], ModelEntry> _entries = new(ByteOrder.Instance);

    public bool TryGetLive(byte[] key, long nowMs, out ModelEntry entry)
    {
        if (_entries.TryGetValue(key, out entry) && !entry.ExpiredAt(nowMs))
        {
            return true;
        }

        entry = default;
        return false;
    }

    public void Put(byte[] key, ModelEntry entry) => _entries[key] = entry;

    public void Remove(byte[] key) => _entries.Remove(key);

    /// <summary>Live entries with from &lt;= key &lt; to (to null: unbounded), in key order.</summary>
    public List<KeyValuePair<byte[], ModelEntry>> LiveRange(byte[] from, byte[]? to, long nowMs) =>
        [.. _entries.Where(e => !e.Value.ExpiredAt(nowMs)
            && ByteOrder.Instance.Compare(e.Key, from) >= 0
            && (to is null || ByteOrder.Instance.Compare(e.Key, to) < 0))];

    public List<KeyValuePair<byte[], ModelEntry>> LivePrefix(byte[] prefix, long nowMs) =>
        [.. _entries.Where(e => !e.Value.ExpiredAt(nowMs) && e.Key.AsSpan().StartsWith(prefix))];

    public int LiveCount(long nowMs) => _entries.Count(e => !e.Value.ExpiredAt(nowMs));

    /// <summary>Forgets expired entries (they are absent either way; this keeps the model small).</summary>
    public void DropExpired(long nowMs)
    {
        foreach (byte[] key in _entries.Where(e => e.Value.ExpiredAt(nowMs)).Select(e => e.Key).ToList())
        {
            _entries.Remove(key);
        }
    }
}
