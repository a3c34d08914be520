using System.Buffers.Binary;
using System.Numerics;

namespace Store.Tests.Kv;

/// <summary>One record of a log segment as the test reads it, independently of the engine (layout: docs/kv.md).</summary>
internal sealed record LogRecord(string SegmentPath, long Offset, int Length, byte Kind, int Keyspace, long Sequence, byte[] Key, int ValueLength)
{
    /// <summary>Bytes the record occupies in the segment, padding to 8 bytes included.</summary>
    public int AlignedLength => (Length + 7) & ~7;

    public long End => Offset + Length;
}

/// <summary>Test-side reader and vandal of the database's files.</summary>
internal static class LogFiles
{
    public const int FileHeaderSize = 32;
    public const int SegmentHeaderSize = 64;
    public const int RecordHeaderSize = 40;
    public const byte PutKind = 1;

    public static string LogDirectory(string db) => Path.Combine(db, "log");

    public static string QuarantineDirectory(string db) => Path.Combine(db, "log", "quarantine");

    public static string CheckpointDirectory(string db) => Path.Combine(db, "checkpoint");

    /// <summary>Segment files in log order.</summary>
    public static string[] Segments(string db) =>
        [.. Directory.GetFiles(LogDirectory(db), "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>
    /// Records of a segment file from its first record to the first all-zero header word or the end.
    /// Lengths are trusted (call it on undamaged files only).
    /// </summary>
    public static List<LogRecord> ReadRecords(string segmentPath)
    {
        byte[] bytes = File.ReadAllBytes(segmentPath);
        var records = new List<LogRecord>();
        int offset = SegmentHeaderSize;
        while (offset + RecordHeaderSize <= bytes.Length && BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset)) != 0)
        {
            ReadOnlySpan<byte> r = bytes.AsSpan(offset);
            int length = BinaryPrimitives.ReadInt32LittleEndian(r[4..]);
            int keyLength = BinaryPrimitives.ReadInt32LittleEndian(r[32..]);
            var record = new LogRecord(segmentPath, offset, length, r[8], BinaryPrimitives.ReadUInt16LittleEndian(r[10..]),
                BinaryPrimitives.ReadInt64LittleEndian(r[24..]), r.Slice(RecordHeaderSize, keyLength).ToArray(),
                BinaryPrimitives.ReadInt32LittleEndian(r[36..]));
            records.Add(record);
            offset += record.AlignedLength;
        }

        return records;
    }

    /// <summary>Deletes every checkpoint: the next open replays the whole log, as after a crash before the first checkpoint.</summary>
    public static void DeleteCheckpoints(string db)
    {
        if (Directory.Exists(CheckpointDirectory(db)))
        {
            Directory.Delete(CheckpointDirectory(db), recursive: true);
        }
    }

    /// <summary>XORs the byte at <paramref name="offset"/> with a non-zero mask.</summary>
    public static void FlipByte(string path, long offset, byte mask = 0x5A)
    {
        ArgumentOutOfRangeException.ThrowIfZero(mask);
        using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        file.Position = offset;
        int b = file.ReadByte();
        file.Position = offset;
        file.WriteByte((byte)(b ^ mask));
    }

    public static void Truncate(string path, long length)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.SetLength(length);
    }

    /// <summary>Copies a closed database directory (all files, recursively).</summary>
    public static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.GetDirectories(from))
        {
            CopyDirectory(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }

    /// <summary>
    /// A 32-byte Store file header as docs/kv.md and FileHeader.cs describe it: 8-byte magic, u32 version,
    /// u32 flags (0), u64 value, 4 reserved bytes, CRC32C of the first 28 bytes.
    /// </summary>
    public static byte[] FileHeader(string magic, uint version, ulong value)
    {
        byte[] header = new byte[FileHeaderSize];
        System.Text.Encoding.ASCII.GetBytes(magic).CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), version);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(16), value);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), Crc32C(header.AsSpan(0, 28)));
        return header;
    }

    /// <summary>Replaces the first 32 bytes of a file.</summary>
    public static void OverwriteHeader(string path, byte[] header)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Write(header);
    }

    /// <summary>
    /// Writes a checkpoint file as CheckpointFile.cs describes it: header (STORECKP, version 1, value = the
    /// address replay starts from), i64 last sequence, entries (u16 keyspace, u16 category, i64 expiry,
    /// i64 address, i32 record length, i32 raw value length, i32 key length, key), then u16 0xFFFF,
    /// i64 entry count and the CRC32C of everything after the header. Entries: uncompressed Puts, no TTL.
    /// </summary>
    public static void WriteCheckpoint(string db, long fromAddress, long lastSequence, IReadOnlyList<(long Address, LogRecord Record)> entries)
    {
        var body = new MemoryStream();
        var writer = new BinaryWriter(body);
        writer.Write(lastSequence);
        foreach ((long address, LogRecord record) in entries)
        {
            writer.Write((ushort)record.Keyspace);
            writer.Write((ushort)0);
            writer.Write(0L);
            writer.Write(address);
            writer.Write(record.Length);
            writer.Write(record.ValueLength);
            writer.Write(record.Key.Length);
            writer.Write(record.Key);
        }

        writer.Write((ushort)0xFFFF);
        writer.Write((long)entries.Count);
        writer.Flush();
        byte[] bodyBytes = body.ToArray();
        Directory.CreateDirectory(CheckpointDirectory(db));
        using var file = new FileStream(Path.Combine(CheckpointDirectory(db), $"{fromAddress:D20}.ckpt"), FileMode.CreateNew);
        file.Write(FileHeader("STORECKP", 1, (ulong)fromAddress));
        file.Write(bodyBytes);
        byte[] crc = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(crc, Crc32C(bodyBytes));
        file.Write(crc);
    }

    /// <summary>CRC32C (Castagnoli), bytewise through the BCL's primitive.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = ~0u;
        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return ~crc;
    }
}
