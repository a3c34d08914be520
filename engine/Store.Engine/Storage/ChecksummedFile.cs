using System.Buffers.Binary;
using System.Runtime.InteropServices;

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
/// Reads a file written by <see cref="ChecksummedWriter"/>: the whole file is loaded, its header and body
/// checksum verified up front (wrong magic or version: <see cref="UnsupportedFormatException"/>; damage:
/// <see cref="StoreCorruptionException"/>), then fields are read in order; reading past the end is corruption.
/// </summary>
internal sealed class ChecksummedReader
{
    private readonly byte[] _bytes;
    private readonly int _end;
    private int _offset;

    public ChecksummedReader(string path, ulong magic, uint version)
    {
        Path = path;
        _bytes = File.ReadAllBytes(path);
        Header = FileHeader.Read(_bytes, magic, version, path);
        if (_bytes.Length < FileHeader.Size + 4)
        {
            throw new StoreCorruptionException(path, _bytes.Length, "the file ends before its checksum");
        }

        _end = _bytes.Length - 4;
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(_end));
        if (Crc32C.Compute(_bytes.AsSpan(FileHeader.Size, _end - FileHeader.Size)) != stored)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, "the body's checksum does not match (the file was damaged after it was written)");
        }

        _offset = FileHeader.Size;
    }

    public string Path { get; }

    public FileHeader Header { get; }

    /// <summary>True once every body byte was read.</summary>
    public bool AtEnd => _offset == _end;

    public ReadOnlySpan<byte> Read(int length)
    {
        if (length < 0 || _end - _offset < length)
        {
            throw new StoreCorruptionException(Path, _offset, $"a field of {length} bytes runs past the end of the file");
        }

        ReadOnlySpan<byte> bytes = _bytes.AsSpan(_offset, length);
        _offset += length;
        return bytes;
    }

    public void Read<T>(Span<T> destination)
        where T : unmanaged => Read(destination.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>()).CopyTo(MemoryMarshal.AsBytes(destination));

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
}
