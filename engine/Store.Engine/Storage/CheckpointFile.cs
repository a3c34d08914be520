using System.Buffers.Binary;

namespace Store.Storage;

/// <summary>
/// An index checkpoint: header (magic STORECKP, version 1, value = log address replay starts at),
/// i64 last sequence, entries <c>u16 keyspace | u16 category | i64 expiry | i64 address |
/// i32 record length | i32 raw value length | i32 key length | key</c>, then an end marker:
/// <c>u16 0xFFFF | i64 entry count | u32 crc32c</c> of everything after the header.
/// </summary>
internal static class CheckpointFile
{
    public const uint FormatVersion = 1;
    public const string Extension = ".ckpt";
    public const int EntryHeaderSize = 2 + 2 + 8 + 8 + 4 + 4 + 4;
    public const ushort EndMarker = 0xFFFF;

    public static string FileName(long address) => $"{address:D20}{Extension}";
}

/// <summary>Writes a checkpoint to a temporary file; <see cref="Commit"/> makes it the current one.</summary>
internal sealed class CheckpointWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly BufferedStream _out;
    private readonly string _temporary;
    private readonly string _final;
    private readonly byte[] _scratch = new byte[CheckpointFile.EntryHeaderSize];
    private uint _crc;
    private long _count;
    private bool _committed;

    public CheckpointWriter(string directory, long fromAddress, long lastSequence)
    {
        Directory.CreateDirectory(directory);
        _final = System.IO.Path.Combine(directory, CheckpointFile.FileName(fromAddress));
        _temporary = _final + ".tmp";
        _file = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        _out = new BufferedStream(_file, 1 << 20);
        Span<byte> header = stackalloc byte[FileHeader.Size];
        new FileHeader(FileHeader.CheckpointMagic, CheckpointFile.FormatVersion, (ulong)fromAddress).Write(header);
        _out.Write(header);
        Span<byte> sequence = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(sequence, lastSequence);
        Body(sequence);
    }

    public string Path => _final;

    public long Count => _count;

    public void Add(int keyspace, int category, long expiry, long address, int length, int rawValueLength, ReadOnlySpan<byte> key)
    {
        Span<byte> e = _scratch;
        BinaryPrimitives.WriteUInt16LittleEndian(e, (ushort)keyspace);
        BinaryPrimitives.WriteUInt16LittleEndian(e[2..], (ushort)category);
        BinaryPrimitives.WriteInt64LittleEndian(e[4..], expiry);
        BinaryPrimitives.WriteInt64LittleEndian(e[12..], address);
        BinaryPrimitives.WriteInt32LittleEndian(e[20..], length);
        BinaryPrimitives.WriteInt32LittleEndian(e[24..], rawValueLength);
        BinaryPrimitives.WriteInt32LittleEndian(e[28..], key.Length);
        Body(e);
        Body(key);
        _count++;
    }

    /// <summary>Writes the end marker, fsyncs, and renames the file into place.</summary>
    public void Commit()
    {
        Span<byte> end = stackalloc byte[2 + 8];
        BinaryPrimitives.WriteUInt16LittleEndian(end, CheckpointFile.EndMarker);
        BinaryPrimitives.WriteInt64LittleEndian(end[2..], _count);
        Body(end);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, _crc);
        _out.Write(crc);
        _out.Flush();
        _file.Flush(flushToDisk: true);
        _out.Dispose();
        AtomicFile.Commit(_temporary, _final);
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

    private void Body(ReadOnlySpan<byte> bytes)
    {
        _crc = Crc32C.Append(_crc, bytes);
        _out.Write(bytes);
    }
}

/// <summary>One checkpoint entry as read back.</summary>
internal delegate void CheckpointEntryVisitor(int keyspace, int category, long expiry, long address, int length, int rawValueLength, ReadOnlySpan<byte> key);

/// <summary>Reads a checkpoint: the whole file's checksum is verified before any entry is handed out.</summary>
internal static class CheckpointReader
{
    public static (long FromAddress, long LastSequence) Read(string path, CheckpointEntryVisitor visitor)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> header = stackalloc byte[FileHeader.Size];
        file.ReadExactly(header);
        long from = (long)FileHeader.Read(header, FileHeader.CheckpointMagic, CheckpointFile.FormatVersion, path).Value;
        VerifyChecksum(file, path);

        file.Position = FileHeader.Size;
        var reader = new BinaryReader(file);
        long sequence = reader.ReadInt64();
        byte[] key = new byte[256];
        long count = 0;
        while (true)
        {
            ushort keyspace = reader.ReadUInt16();
            if (keyspace == CheckpointFile.EndMarker)
            {
                if (reader.ReadInt64() != count)
                {
                    throw new StoreCorruptionException(path, file.Position, "the entry count at the end does not match the entries");
                }

                return (from, sequence);
            }

            int category = reader.ReadUInt16();
            long expiry = reader.ReadInt64();
            long address = reader.ReadInt64();
            int length = reader.ReadInt32();
            int raw = reader.ReadInt32();
            int keyLength = reader.ReadInt32();
            if (keyLength is < 1 or > Index.BSkipList.MaxKeyLength)
            {
                throw new StoreCorruptionException(path, file.Position, $"an entry has a key length of {keyLength}");
            }

            if (key.Length < keyLength)
            {
                key = new byte[keyLength];
            }

            reader.BaseStream.ReadExactly(key, 0, keyLength);
            visitor(keyspace, category, expiry, address, length, raw, key.AsSpan(0, keyLength));
            count++;
        }
    }

    private static void VerifyChecksum(FileStream file, string path)
    {
        long bodyLength = file.Length - FileHeader.Size - 4;
        if (bodyLength < 8 + 10)
        {
            throw new StoreCorruptionException(path, file.Length, "the checkpoint is truncated");
        }

        uint crc = 0;
        byte[] buffer = new byte[1 << 20];
        long left = bodyLength;
        while (left > 0)
        {
            int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (n == 0)
            {
                throw new StoreCorruptionException(path, file.Position, "the checkpoint is truncated");
            }

            crc = Crc32C.Append(crc, buffer.AsSpan(0, n));
            left -= n;
        }

        Span<byte> stored = stackalloc byte[4];
        file.ReadExactly(stored);
        if (BinaryPrimitives.ReadUInt32LittleEndian(stored) != crc)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, "the checkpoint's checksum does not match");
        }
    }
}
