namespace Store.Bench.Peers.RocksDb;

/// <summary>
/// Optional table settings beyond the defaults of ../shared/peers/rocksdb_bench.sh: a full bloom filter
/// (bits per key, 0 for none) and an LRU block cache (bytes, 0 for RocksDB's default 8 MiB one).
/// </summary>
internal sealed record RocksDbTuning(double BloomBitsPerKey, long BlockCacheBytes)
{
    /// <summary>db_bench's defaults: no filter, the default block cache.</summary>
    public static RocksDbTuning Default { get; } = new(0, 0);

    /// <summary>What a deployment tuned for point reads would use: 10 bits/key, a 1 GiB cache.</summary>
    public static RocksDbTuning ForReads { get; } = new(10, 1L << 30);

    public bool IsDefault => BloomBitsPerKey <= 0 && BlockCacheBytes <= 0;

    public string Describe() => IsDefault
        ? "default table options (no bloom filter, 8 MiB block cache)"
        : $"bloom filter {BloomBitsPerKey} bits/key, block cache {BlockCacheBytes >> 20} MiB";
}
