using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Store.Storage;

/// <summary>
/// One segment file of the record log. While active (being appended to) or sealing, its bytes
/// live in <see cref="Buffer"/>; once sealed and flushed it is memory-mapped read-only and the
/// buffer is dropped. A retired segment (compacted away) unmaps when its last reader leaves.
/// </summary>
internal sealed unsafe class LogSegment : IDisposable
{
    /// <summary>Bytes reserved at the start of every segment: the file header, then zeros.</summary>
    public const int HeaderSize = 64;
    public const uint FormatVersion = 1;

    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    private byte* _pointer;

    public LogSegment(long id, string path, long baseAddress)
    {
        Id = id;
        Path = path;
        BaseAddress = baseAddress;
    }

    public long Id { get; }

    public string Path { get; }

    /// <summary>Log address of the segment's first byte.</summary>
    public long BaseAddress { get; }

    /// <summary>Write handle while the segment is active or sealing.</summary>
    public SafeFileHandle? Handle { get; set; }

    /// <summary>In-memory bytes while active or sealing; null once mapped.</summary>
    public byte[]? Buffer { get; set; }

    /// <summary>End offset of the valid records (final once sealed).</summary>
    public long Used { get; set; }

    /// <summary>Offset up to which bytes were written to the file.</summary>
    public long Flushed { get; set; }

    /// <summary>Bytes of records no longer referenced (overwritten, deleted, expired).</summary>
    public long DeadBytes;

    /// <summary>
    /// One bit per 8-byte step of the segment (records start on those steps): set once the record that
    /// starts there stopped being its key's current one. Compaction skips such records without looking
    /// their key up in the index. Created on the first garbage; not persisted (a restarted database looks up).
    /// </summary>
    private ulong[]? _deadRecords;

    /// <summary>True once the directory entry of the file was fsynced.</summary>
    public bool DirectorySynced { get; set; }

    /// <summary>True once the segment was compacted away.</summary>
    public bool Retired { get; private set; }

    /// <summary>Notes that the record at <paramref name="offset"/> is garbage (overwritten, deleted, expired).</summary>
    /// <param name="offset">The record's offset in this segment (a multiple of 8).</param>
    /// <param name="segmentSize">The log's segment size, which bounds every offset.</param>
    public void MarkRecordDead(long offset, long segmentSize)
    {
        ulong[] map = Volatile.Read(ref _deadRecords) ?? CreateDeadRecords(segmentSize);
        long step = offset >> 3;
        Interlocked.Or(ref map[step >> 6], 1UL << (int)(step & 63));
    }

    /// <summary>
    /// True if the record at <paramref name="offset"/> is known to be garbage. False means "not known":
    /// a record marked a moment ago, or before a restart, may still read false.
    /// </summary>
    public bool IsRecordDead(long offset)
    {
        ulong[]? map = Volatile.Read(ref _deadRecords);
        long step = offset >> 3;
        return map is not null && (Volatile.Read(ref map[step >> 6]) & (1UL << (int)(step & 63))) != 0;
    }

    private ulong[] CreateDeadRecords(long segmentSize)
    {
        var map = new ulong[((segmentSize >> 3) + 63) >> 6];
        return Interlocked.CompareExchange(ref _deadRecords, map, null) ?? map;
    }

    /// <summary>The mapping's handle, reference-counted by readers; null while not mapped.</summary>
    public SafeMemoryMappedViewHandle? MappedHandle => _view?.SafeMemoryMappedViewHandle;

    public byte* Pointer => _pointer;

    /// <summary>Maps the (flushed, final) file read-only and drops the in-memory copy.</summary>
    public void MapReadOnly()
    {
        Handle?.Dispose();
        Handle = null;
        long length = new FileInfo(Path).Length;
        _map = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, length, MemoryMappedFileAccess.Read);
        _view = _map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
        Used = Math.Min(Used == 0 ? length : Used, length);
        Buffer = null;
    }

    /// <summary>Drops the mapping's resident pages from the process (after a sequential scan; reads fault them back).</summary>
    public void ReleaseResidentPages()
    {
        // Under a lease, like a read: the mapping cannot be unmapped (and its range reused) meanwhile.
        SafeMemoryMappedViewHandle? lease = MappedHandle;
        if (lease is null)
        {
            return;
        }

        bool added = false;
        try
        {
            lease.DangerousAddRef(ref added);
            if (!Retired && _pointer is not null)
            {
                MemoryAdvice.ReleaseMapped(_pointer, Used);
            }
        }
        catch (ObjectDisposedException)
        {
            // Retired meanwhile: nothing left to release.
        }
        finally
        {
            if (added)
            {
                lease.DangerousRelease();
            }
        }
    }

    /// <summary>Marks the segment compacted away and releases it; readers that hold it finish first.</summary>
    public void Retire()
    {
        Retired = true;
        Dispose();
    }

    public void Dispose()
    {
        if (_view is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _map!.Dispose();
            _view = null;
            _map = null;
        }

        Handle?.Dispose();
        Handle = null;
    }

    public static string FileName(long id) => $"{id:D12}.seg";
}
