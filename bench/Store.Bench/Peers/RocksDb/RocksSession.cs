using static Store.Bench.Peers.RocksDb.RocksDbNative;

namespace Store.Bench.Peers.RocksDb;

/// <summary>
/// One thread's access to a <see cref="RocksDatabase"/>: it holds a reference on the native handles
/// for its whole life, so the hot calls pass raw pointers (no SafeHandle reference counting per call)
/// and allocate nothing managed. Its iterator is created on the first seek and reads the snapshot of
/// that moment; take a new session after writes that seeks must see.
/// </summary>
internal sealed unsafe class RocksSession : IDisposable
{
    private readonly RocksDbHandle _dbHandle;
    private readonly RocksWriteOptionsHandle _writeHandle;
    private readonly RocksReadOptionsHandle _readHandle;
    private readonly nint _db;
    private readonly nint _writeOptions;
    private readonly nint _readOptions;
    private RocksIteratorHandle? _iterator;
    private bool _disposed;

    public RocksSession(RocksDbHandle db, RocksWriteOptionsHandle writeOptions, RocksReadOptionsHandle readOptions)
    {
        bool dbAdded = false;
        bool writeAdded = false;
        bool readAdded = false;
        db.DangerousAddRef(ref dbAdded);
        writeOptions.DangerousAddRef(ref writeAdded);
        readOptions.DangerousAddRef(ref readAdded);
        _dbHandle = db;
        _writeHandle = writeOptions;
        _readHandle = readOptions;
        _db = db.DangerousGetHandle();
        _writeOptions = writeOptions.DangerousGetHandle();
        _readOptions = readOptions.DangerousGetHandle();
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        nint error = 0;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            rocksdb_put(_db, _writeOptions, k, (nuint)key.Length, v, (nuint)value.Length, &error);
        }

        RocksDbException.ThrowIfSet(error, "put");
    }

    /// <summary>
    /// Reads the value of <paramref name="key"/> into <paramref name="destination"/> (as much as fits);
    /// returns its full length, or -1 if absent. RocksDB's C API copies the value into a malloc'd
    /// buffer, freed here.
    /// </summary>
    public int Get(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        nint error = 0;
        nuint length = 0;
        byte* value;
        fixed (byte* k = key)
        {
            value = rocksdb_get(_db, _readOptions, k, (nuint)key.Length, &length, &error);
        }

        RocksDbException.ThrowIfSet(error, "get");
        if (value is null)
        {
            return -1;
        }

        new ReadOnlySpan<byte>(value, (int)length)[..Math.Min((int)length, destination.Length)].CopyTo(destination);
        rocksdb_free(value);
        return (int)length;
    }

    /// <summary>
    /// Seeks to the first key &gt;= <paramref name="key"/> and reads up to <paramref name="count"/>
    /// entries from there (the seek's entry plus count - 1 nexts); adds each value's first byte and
    /// key length to <paramref name="checksum"/>. Returns the entries read.
    /// </summary>
    public int SeekAndRead(ReadOnlySpan<byte> key, int count, ref long checksum)
    {
        nint iterator = Iterator();
        fixed (byte* k = key)
        {
            rocksdb_iter_seek(iterator, k, (nuint)key.Length);
        }

        int read = 0;
        while (read < count && rocksdb_iter_valid(iterator) != 0)
        {
            nuint keyLength = 0;
            nuint valueLength = 0;
            rocksdb_iter_key(iterator, &keyLength);
            byte* value = rocksdb_iter_value(iterator, &valueLength);
            checksum += (long)keyLength + (valueLength > 0 ? value[0] : 0);
            read++;
            if (read < count)
            {
                rocksdb_iter_next(iterator);
            }
        }

        if (read < count)
        {
            nint error = 0;
            rocksdb_iter_get_error(iterator, &error);
            RocksDbException.ThrowIfSet(error, "iterator");
        }

        return read;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _iterator?.Dispose();
        _readHandle.DangerousRelease();
        _writeHandle.DangerousRelease();
        _dbHandle.DangerousRelease();
    }

    private nint Iterator()
    {
        _iterator ??= new RocksIteratorHandle(rocksdb_create_iterator(_db, _readOptions));
        return _iterator.DangerousGetHandle();
    }
}
