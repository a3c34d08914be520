using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Storage;

/// <summary>
/// The append-only record log: the database's value store and write-ahead log in one.
/// Appends copy into the active segment's in-memory buffer under one short lock; a flusher
/// thread writes and fsyncs per the durability mode; full segments are sealed and mapped.
/// Layout and record format: docs/kv.md.
/// </summary>
internal sealed partial class RecordLog : IDisposable
{
    private readonly string _directory;
    private readonly int _segmentSize;
    private readonly Durability _durability;
    private readonly TimeSpan _groupCommitInterval;
    private readonly ILogger _logger;
    private readonly Lock _appendLock = new();
    private readonly Lock _tableLock = new();
    private readonly Queue<LogSegment> _sealing = new();
    private LogSegment _active = null!;
    private long _activeTail;
    private long _sequence;
    private SegmentTable _table = SegmentTable.Empty;
    private Exception? _failure;

    private RecordLog(string directory, int segmentSize, Durability durability, TimeSpan groupCommitInterval, ILogger logger)
    {
        _directory = directory;
        _segmentSize = segmentSize;
        _durability = durability;
        _groupCommitInterval = groupCommitInterval;
        _logger = logger;
    }

    /// <summary>
    /// Log addresses stay below this (64 PiB written over the database's life): the index keeps a
    /// record's address in the low 56 bits of its value.
    /// </summary>
    public const long MaxAddress = 1L << 56;

    public int SegmentSize => _segmentSize;

    public string Directory => _directory;

    /// <summary>Address the next record will get.</summary>
    public long TailAddress
    {
        get
        {
            lock (_appendLock)
            {
                return _active.BaseAddress + _activeTail;
            }
        }
    }

    /// <summary>Highest sequence number assigned so far.</summary>
    public long LastSequence => Volatile.Read(ref _sequence);

    public SegmentTable Segments => Volatile.Read(ref _table);

    /// <summary>
    /// Appends a record and returns its address. A <paramref name="sequence"/> of 0 assigns the next
    /// sequence number (returned in <paramref name="assigned"/>); compaction passes the original one.
    /// </summary>
    public long Append(RecordKind kind, RecordFlags flags, int keyspace, int category, long expiry, long sequence,
        ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, out long assigned)
    {
        int length = RecordHeader.Size + key.Length + value.Length;
        int aligned = RecordHeader.AlignedSize(length);
        lock (_appendLock)
        {
            if (_failure is not null)
            {
                ThrowFailed();
            }

            if (_activeTail + aligned > _segmentSize)
            {
                RollOver();
            }

            assigned = sequence != 0 ? sequence : ++_sequence;
            long offset = _activeTail;
            Span<byte> record = _active.Buffer.AsSpan((int)offset, length);
            new RecordHeader(length, kind, flags, keyspace, category, expiry, assigned, key.Length, value.Length).Write(record);
            key.CopyTo(record[RecordHeader.Size..]);
            value.CopyTo(record[(RecordHeader.Size + key.Length)..]);
            RecordHeader.Seal(record);
            _activeTail = offset + aligned;
            _active.Used = _activeTail;
            return _active.BaseAddress + offset;
        }
    }

    /// <summary>
    /// Reads the record at <paramref name="address"/>. False if its segment is gone (compacted away:
    /// the caller looks the key up again). A mapped record with a bad checksum throws
    /// <see cref="StoreCorruptionException"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe bool TryRead(long address, out RecordRef record)
    {
        LogSegment? segment = Volatile.Read(ref _table).Find(address / _segmentSize);
        int offset = (int)(address % _segmentSize);
        byte[]? buffer = segment?.Buffer;
        if (buffer is not null)
        {
            RecordHeader header = RecordHeader.Read(buffer.AsSpan(offset));
            record = new RecordRef(header, buffer.AsSpan(offset, header.Length), null);
            return true;
        }

        return TryReadMapped(segment, offset, out record);
    }

    private unsafe bool TryReadMapped(LogSegment? segment, int offset, out RecordRef record)
    {
        record = default;
        System.Runtime.InteropServices.SafeHandle? lease = segment?.MappedHandle;
        if (lease is null)
        {
            return false;
        }

        bool added = false;
        try
        {
            lease.DangerousAddRef(ref added);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        if (segment!.Retired || offset < LogSegment.HeaderSize || offset >= segment.Used)
        {
            lease.DangerousRelease();
            return false;
        }

        var bytes = new ReadOnlySpan<byte>(segment.Pointer + offset, (int)(segment.Used - offset));
        if (!RecordHeader.TryValidate(bytes, out RecordHeader header))
        {
            lease.DangerousRelease();
            throw new StoreCorruptionException(segment.Path, offset, "a record's checksum or lengths are wrong (the file changed after it was written)");
        }

        record = new RecordRef(header, bytes[..header.Length], lease);
        return true;
    }

    /// <summary>True if the segment holding <paramref name="address"/> exists (recovery, before replay).</summary>
    public bool HasSegmentFor(long address)
    {
        long id = address / _segmentSize;
        return _recoveredIds.Contains(id) || Volatile.Read(ref _table).Find(id) is not null;
    }

    /// <summary>Hands every record of a sealed segment to the visitor (compaction), holding the mapping meanwhile.</summary>
    public unsafe void ForEachRecord(LogSegment segment, ReplayVisitor visitor)
    {
        System.Runtime.InteropServices.SafeHandle lease = segment.MappedHandle
            ?? throw new InvalidOperationException($"Segment {segment.Path} is not sealed and mapped.");
        bool added = false;
        lease.DangerousAddRef(ref added);
        try
        {
            var bytes = new ReadOnlySpan<byte>(segment.Pointer, (int)segment.Used);
            int offset = LogSegment.HeaderSize;
            while (offset + RecordHeader.Size <= bytes.Length && System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes[offset..]) != 0)
            {
                if (!RecordHeader.TryValidate(bytes[offset..], out RecordHeader header))
                {
                    throw new StoreCorruptionException(segment.Path, offset, "a record's checksum or lengths are wrong");
                }

                visitor(segment.BaseAddress + offset, header, bytes.Slice(offset + RecordHeader.Size, header.KeyLength),
                    bytes.Slice(offset + RecordHeader.Size + header.KeyLength, header.ValueLength));
                offset += header.AlignedLength;
            }
        }
        finally
        {
            if (added)
            {
                lease.DangerousRelease();
            }
        }
    }

    /// <summary>Counts a record's bytes as garbage in its segment (it was overwritten, deleted or expired).</summary>
    public void MarkDead(long address, int length)
    {
        LogSegment? segment = Volatile.Read(ref _table).Find(address / _segmentSize);
        if (segment is not null)
        {
            Interlocked.Add(ref segment.DeadBytes, RecordHeader.AlignedSize(length));
            segment.MarkRecordDead(address - segment.BaseAddress, _segmentSize);
        }
    }

    /// <summary>Bytes in all segments, and bytes of garbage among them.</summary>
    public (long Total, long Dead) Usage()
    {
        long total = 0;
        long dead = 0;
        foreach (LogSegment segment in Volatile.Read(ref _table).Segments)
        {
            total += segment.Used;
            dead += Volatile.Read(ref segment.DeadBytes);
        }

        return (total, dead);
    }

    /// <summary>Starts a new active segment; the full one queues for sealing. Caller holds the append lock.</summary>
    private void RollOver()
    {
        LogSegment full = _active;
        LogSegment next = CreateSegment(full.Id + 1); // first: if it throws, the full segment stays active, queued once
        full.Used = _activeTail;
        _sealing.Enqueue(full);
        _active = next;
        _activeTail = LogSegment.HeaderSize;
        RequestFlush();
    }

    private LogSegment CreateSegment(long id)
    {
        if ((id + 1) * _segmentSize > MaxAddress)
        {
            throw new StoreException($"The record log in '{_directory}' has written {MaxAddress >> 50} PiB, the most its addresses reach; copy the data into a new database.");
        }

        string path = System.IO.Path.Combine(_directory, LogSegment.FileName(id));
        var segment = new LogSegment(id, path, id * _segmentSize)
        {
            Handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read),
            Buffer = new byte[_segmentSize],
            Used = LogSegment.HeaderSize,
        };
        new FileHeader(FileHeader.SegmentMagic, LogSegment.FormatVersion, (ulong)id).Write(segment.Buffer);
        AddToTable(segment);
        return segment;
    }

    private void AddToTable(LogSegment segment)
    {
        lock (_tableLock)
        {
            Volatile.Write(ref _table, _table.With(segment));
        }
    }

    /// <summary>Removes a compacted segment: no new reader finds it, current readers finish, the file is deleted.</summary>
    public void Retire(LogSegment segment)
    {
        lock (_tableLock)
        {
            Volatile.Write(ref _table, _table.Without(segment));
        }

        segment.Retire();
        File.Delete(segment.Path);
    }

    private void ThrowFailed() =>
        throw new StoreException($"The record log in '{_directory}' can no longer be written ({_failure!.Message}); reopen the database after fixing the cause.", _failure);
}
