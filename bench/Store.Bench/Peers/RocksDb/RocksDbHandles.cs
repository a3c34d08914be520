using Microsoft.Win32.SafeHandles;
using static Store.Bench.Peers.RocksDb.RocksDbNative;

namespace Store.Bench.Peers.RocksDb;

/// <summary>An open <c>rocksdb_t*</c>; closing it flushes nothing to disk beyond what RocksDB does at close.</summary>
internal sealed class RocksDbHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public RocksDbHandle(nint handle)
        : this() => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        rocksdb_close(handle);
        return true;
    }
}

/// <summary>A <c>rocksdb_options_t*</c>.</summary>
internal sealed class RocksOptionsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static RocksOptionsHandle Create()
    {
        var options = new RocksOptionsHandle();
        options.SetHandle(rocksdb_options_create());
        return options;
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_options_destroy(handle);
        return true;
    }
}

/// <summary>A <c>rocksdb_writeoptions_t*</c>.</summary>
internal sealed class RocksWriteOptionsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static RocksWriteOptionsHandle Create()
    {
        var options = new RocksWriteOptionsHandle();
        options.SetHandle(rocksdb_writeoptions_create());
        return options;
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_writeoptions_destroy(handle);
        return true;
    }
}

/// <summary>A <c>rocksdb_readoptions_t*</c>.</summary>
internal sealed class RocksReadOptionsHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public static RocksReadOptionsHandle Create()
    {
        var options = new RocksReadOptionsHandle();
        options.SetHandle(rocksdb_readoptions_create());
        return options;
    }

    protected override bool ReleaseHandle()
    {
        rocksdb_readoptions_destroy(handle);
        return true;
    }
}

/// <summary>A <c>rocksdb_iterator_t*</c>; it must be released before its database.</summary>
internal sealed class RocksIteratorHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
{
    public RocksIteratorHandle(nint handle)
        : this() => SetHandle(handle);

    protected override bool ReleaseHandle()
    {
        rocksdb_iter_destroy(handle);
        return true;
    }
}
