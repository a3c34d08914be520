using System.Runtime.InteropServices;

namespace Store.Bench.Peers.RocksDb;

/// <summary>
/// The few functions of RocksDB's C API (rocksdb/c.h, Debian's librocksdb 7.8) the kv suite uses.
/// Handles are raw pointers here; the SafeHandles of RocksDbHandles.cs own their lifetimes. Every
/// <c>errptr</c> is a <c>char**</c> that RocksDB sets to a malloc'd message on failure.
/// </summary>
internal static unsafe partial class RocksDbNative
{
    /// <summary>The name the imports use; <see cref="RocksDbLibrary"/> maps it to the installed soname.</summary>
    public const string LibraryName = "rocksdb";

    /// <summary><c>rocksdb_lz4_compression</c> of the compression enum.</summary>
    public const int Lz4Compression = 4;

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_options_create();

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_options_destroy(nint options);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_options_set_create_if_missing(nint options, byte value);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_options_set_compression(nint options, int compression);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_options_increase_parallelism(nint options, int totalThreads);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_block_based_options_create();

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_block_based_options_destroy(nint options);

    /// <summary>Takes ownership of <paramref name="policy"/>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void rocksdb_block_based_options_set_filter_policy(nint options, nint policy);

    /// <summary>The table options keep their own reference to the cache; the caller still destroys its handle.</summary>
    [LibraryImport(LibraryName)]
    public static partial void rocksdb_block_based_options_set_block_cache(nint options, nint cache);

    /// <summary>Copies the table options into <paramref name="options"/>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void rocksdb_options_set_block_based_table_factory(nint options, nint tableOptions);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_cache_create_lru(nuint capacity);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_cache_destroy(nint cache);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_open(nint options, byte* name, nint* errptr);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_close(nint db);

    /// <summary>Reads an integer property (<c>rocksdb.num-running-compactions</c>...); returns 0 on success.</summary>
    [LibraryImport(LibraryName)]
    public static partial int rocksdb_property_int(nint db, byte* name, ulong* value);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_writeoptions_create();

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_writeoptions_destroy(nint options);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_writeoptions_set_sync(nint options, byte value);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_writeoptions_disable_WAL(nint options, int disable);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_readoptions_create();

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_readoptions_destroy(nint options);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_put(nint db, nint options, byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);

    [LibraryImport(LibraryName)]
    public static partial byte* rocksdb_get(nint db, nint options, byte* key, nuint keyLength, nuint* valueLength, nint* errptr);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_free(void* pointer);

    [LibraryImport(LibraryName)]
    public static partial nint rocksdb_create_iterator(nint db, nint options);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_iter_destroy(nint iterator);

    [LibraryImport(LibraryName)]
    public static partial byte rocksdb_iter_valid(nint iterator);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_iter_seek(nint iterator, byte* key, nuint keyLength);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_iter_next(nint iterator);

    [LibraryImport(LibraryName)]
    public static partial byte* rocksdb_iter_key(nint iterator, nuint* keyLength);

    [LibraryImport(LibraryName)]
    public static partial byte* rocksdb_iter_value(nint iterator, nuint* valueLength);

    [LibraryImport(LibraryName)]
    public static partial void rocksdb_iter_get_error(nint iterator, nint* errptr);
}
