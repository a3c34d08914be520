using System.Text;
using static Store.Bench.Peers.RocksDb.RocksDbNative;

namespace Store.Bench.Peers.RocksDb;

/// <summary>
/// One open RocksDB database with the settings of ../shared/peers/rocksdb_bench.sh: created if
/// missing, LZ4 compression, WAL on without fsync per write (<c>sync=false</c>), background threads
/// raised to the core count. Thread-safe: each thread takes its own <see cref="RocksSession"/>.
/// </summary>
internal sealed class RocksDatabase : IDisposable
{
    private readonly RocksOptionsHandle _options;
    private readonly RocksWriteOptionsHandle _writeOptions;
    private readonly RocksReadOptionsHandle _readOptions;
    private readonly RocksDbHandle _db;

    private RocksDatabase(RocksOptionsHandle options, RocksWriteOptionsHandle writeOptions, RocksReadOptionsHandle readOptions, RocksDbHandle db)
    {
        _options = options;
        _writeOptions = writeOptions;
        _readOptions = readOptions;
        _db = db;
    }

    /// <summary>Opens (creating) the database in <paramref name="path"/>. The library must be loaded (<see cref="RocksDbLibrary"/>).</summary>
    public static unsafe RocksDatabase Open(string path, RocksDbTuning tuning)
    {
        var options = RocksOptionsHandle.Create();
        var writeOptions = RocksWriteOptionsHandle.Create();
        var readOptions = RocksReadOptionsHandle.Create();
        try
        {
            nint raw = options.DangerousGetHandle();
            rocksdb_options_set_create_if_missing(raw, 1);
            rocksdb_options_set_compression(raw, Lz4Compression);
            rocksdb_options_increase_parallelism(raw, Math.Max(2, Environment.ProcessorCount));
            if (!tuning.IsDefault)
            {
                ApplyTableOptions(raw, tuning);
            }

            rocksdb_writeoptions_set_sync(writeOptions.DangerousGetHandle(), 0);
            rocksdb_writeoptions_disable_WAL(writeOptions.DangerousGetHandle(), 0);

            byte[] name = Encoding.UTF8.GetBytes(path + "\0");
            nint error = 0;
            nint db;
            fixed (byte* namePointer = name)
            {
                db = rocksdb_open(raw, namePointer, &error);
            }

            RocksDbException.ThrowIfSet(error, "open");
            return db == 0
                ? throw new RocksDbException($"rocksdb open: no handle returned for '{path}'")
                : new RocksDatabase(options, writeOptions, readOptions, new RocksDbHandle(db));
        }
        catch
        {
            readOptions.Dispose();
            writeOptions.Dispose();
            options.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until no flush or compaction is running or pending (polling every 50 ms), at most
    /// <paramref name="limit"/>; returns whether that state was reached.
    /// </summary>
    public unsafe bool WaitForBackgroundWork(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        bool added = false;
        _db.DangerousAddRef(ref added);
        try
        {
            nint db = _db.DangerousGetHandle();
            while (Property(db, "rocksdb.num-running-compactions"u8) + Property(db, "rocksdb.compaction-pending"u8) +
                Property(db, "rocksdb.num-running-flushes"u8) + Property(db, "rocksdb.mem-table-flush-pending"u8) > 0)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return false;
                }

                Thread.Sleep(50);
            }

            return true;
        }
        finally
        {
            _db.DangerousRelease();
        }
    }

    /// <summary>A per-thread session; dispose it before the database.</summary>
    public RocksSession CreateSession() => new(_db, _writeOptions, _readOptions);

    private static unsafe ulong Property(nint db, ReadOnlySpan<byte> nameWithoutTerminator)
    {
        Span<byte> name = stackalloc byte[nameWithoutTerminator.Length + 1];
        nameWithoutTerminator.CopyTo(name);
        name[^1] = 0;
        ulong value = 0;
        fixed (byte* pointer = name)
        {
            return rocksdb_property_int(db, pointer, &value) == 0 ? value : 0;
        }
    }

    private static void ApplyTableOptions(nint options, RocksDbTuning tuning)
    {
        nint table = rocksdb_block_based_options_create();
        nint cache = 0;
        try
        {
            if (tuning.BloomBitsPerKey > 0)
            {
                rocksdb_block_based_options_set_filter_policy(table, rocksdb_filterpolicy_create_bloom_full(tuning.BloomBitsPerKey));
            }

            if (tuning.BlockCacheBytes > 0)
            {
                cache = rocksdb_cache_create_lru((nuint)tuning.BlockCacheBytes);
                rocksdb_block_based_options_set_block_cache(table, cache);
            }

            rocksdb_options_set_block_based_table_factory(options, table);
        }
        finally
        {
            if (cache != 0)
            {
                rocksdb_cache_destroy(cache);
            }

            rocksdb_block_based_options_destroy(table);
        }
    }

    /// <summary>Closes the database (RocksDB waits for its background work) and frees the options.</summary>
    public void Dispose()
    {
        _db.Dispose();
        _readOptions.Dispose();
        _writeOptions.Dispose();
        _options.Dispose();
    }
}
