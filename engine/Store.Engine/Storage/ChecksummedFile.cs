using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Store.Storage;

/// <summary>
/// Writes a Store file of one kind: the 32-byte <see cref="FileHeader"/>, a body of little-endian
/// fields, then a CRC32C of the body. Written to a temporary file, fsynced and renamed over the
/// target on <see cref="Commit"/>, so a crash leaves the old file or the new one, whole.
/// </summary>
internal sealed class ChecksummedWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly BufferedStream _out;
    private readonly string _temporary;
    private readonly string _path;
    private uint _crc;
    private bool _committed;

    public ChecksummedWriter(string path, ulong magic, uint version, ulong value)
    {
        _path = path;
        _temporary = path + ".tmp";
        _file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        _out = new BufferedStream(_file, 1 << 20);
        Span<byte> header = stackalloc byte[FileHeader.Size];
        new FileHeader(magic, version, value).Write(header);
        _out.Write(header);
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        _crc = Crc32C.Append(_crc, bytes);
        _out.Write(bytes);
    }

    public void Write<T>(ReadOnlySpan<T> values)
        where T : unmanaged => Write(MemoryMarshal.AsBytes(values));

    public void WriteInt32(int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteInt64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        Write(bytes);
    }

    public void WriteSingle(float value) => WriteInt32(BitConverter.SingleToInt32Bits(value));

    /// <summary>Appends the checksum, fsyncs and renames the file into place.</summary>
    public void Commit()
    {
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, _crc);
        _out.Write(crc);
        _out.Flush();
        _file.Flush(flushToDisk: true);
        _out.Dispose();
        AtomicFile.Commit(_temporary, _path);
        _committed = true;
    }

    public void Dispose()
    {
        _out.Dispose();
        if (!_committed)
        {
            File.Delete(_temporary);
        }
    }
}

/// <summary>
/// Reads a file written by <see cref="ChecksummedWriter"/>: the whole file is loaded (into native
/// memory, handed back to the system on dispose, so a large index file leaves no garbage behind), its
/// header and body checksum verified up front (wrong magic or version: <see cref="UnsupportedFormatException"/>;
/// damage: <see cref="StoreCorruptionException"/>), then fields are read in order; reading past the end is corruption.
/// </summary>
internal sealed unsafe class ChecksummedReader : IDisposable
{
    private readonly int _end;
    private byte* _bytes;
    private int _offset;

    public ChecksummedReader(string path, ulong magic, uint version)
    {
        Path = path;
        using (SafeFileHandle file = File.OpenHandle(path))
        {
            long length = RandomAccess.GetLength(file);
            if (length > int.MaxValue)
            {
                throw new StoreCorruptionException(path, 0, $"the file is {length} bytes, more than this kind of file can hold");
            }

            _bytes = (byte*)NativeMemory.Alloc((nuint)Math.Max(1, length));
            _end = (int)length;
            int read = 0;
            while (read < length)
            {
                int n = RandomAccess.Read(file, new Span<byte>(_bytes + read, _end - read), read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            _end = read;
        }

        try
        {
            Header = FileHeader.Read(Bytes, magic, version, path);
            if (_end < FileHeader.Size + 4)
            {
                throw new StoreCorruptionException(path, _end, "the file ends before its checksum");
            }

            _end -= 4;
            uint stored = BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(_bytes + _end, 4));
            if (Crc32C.Compute(new ReadOnlySpan<byte>(_bytes + FileHeader.Size, _end - FileHeader.Size)) != stored)
            {
                throw new StoreCorruptionException(path, FileHeader.Size, "the body's checksum does not match (the file was damaged after it was written)");
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _offset = FileHeader.Size;
    }

    ~ChecksummedReader() => Free();

    public string Path { get; }

    public FileHeader Header { get; }

    /// <summary>True once every body byte was read.</summary>
    public bool AtEnd => _offset == _end;

    private ReadOnlySpan<byte> Bytes => new(_bytes, _end);

    public ReadOnlySpan<byte> Read(int length)
    {
        if (length < 0 || _end - _offset < length)
        {
            throw new StoreCorruptionException(Path, _offset, $"a field of {length} bytes runs past the end of the file");
        }

        var bytes = new ReadOnlySpan<byte>(_bytes + _offset, length);
        _offset += length;
        return bytes;
    }

    public void Read<T>(Span<T> destination)
        where T : unmanaged => Read(destination.Length * sizeof(T)).CopyTo(MemoryMarshal.AsBytes(destination));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Read(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Read(8));

    public float ReadSingle() => BitConverter.Int32BitsToSingle(ReadInt32());

    /// <summary>Reads an int32 and checks it lies in [min, max]; otherwise the file is corrupt.</summary>
    public int ReadInt32(int min, int max, string what)
    {
        int value = ReadInt32();
        if (value < min || value > max)
        {
            throw new StoreCorruptionException(Path, _offset - 4, $"{what} is {value}, outside {min}..{max}");
        }

        return value;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_bytes is not null)
        {
            NativeMemory.Free(_bytes);
            _bytes = null;
        }
    }
}
