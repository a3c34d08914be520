using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Storage;

/// <summary>Receives each valid record during replay, in log order.</summary>
internal delegate void ReplayVisitor(long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> storedValue);

internal sealed partial class RecordLog
{
    private List<LogSegment>? _recovered;
    private HashSet<long> _recoveredIds = [];

    /// <summary>Where recovery cut the log (records from there on are gone); <see cref="long.MaxValue"/> if it did not.</summary>
    public long CutAddress { get; private set; } = long.MaxValue;

    /// <summary>Opens the log directory (creating it if needed). Call a <c>Replay</c> overload next, then <see cref="Start"/>.</summary>
    public static RecordLog Open(string directory, DatabaseOptions options, ILogger logger)
    {
        System.IO.Directory.CreateDirectory(directory);
        var log = new RecordLog(directory, options.SegmentSize, options.Durability, options.GroupCommitInterval, logger);
        var segments = new List<LogSegment>();
        Span<byte> header = stackalloc byte[FileHeader.Size];
        string[] files = [.. System.IO.Directory.GetFiles(directory, "*.seg").Order(StringComparer.Ordinal)];
        foreach (string path in files)
        {
            string name = System.IO.Path.GetFileNameWithoutExtension(path);
            if (!long.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out long id))
            {
                throw new UnsupportedFormatException(path, "is in the log folder but is not named like a segment (<12 digits>.seg)");
            }

            long length = new FileInfo(path).Length;
            if (length < FileHeader.Size && path == files[^1])
            {
                logger.LogWarning("Removing log segment {Path}: created just before a crash, it holds no header ({Length} bytes)", path, length);
                File.Delete(path);
                continue;
            }

            using (var handle = File.OpenHandle(path))
            {
                RandomAccess.Read(handle, header, 0);
            }

            FileHeader parsed = FileHeader.Read(header, FileHeader.SegmentMagic, LogSegment.FormatVersion, path);
            if ((long)parsed.Value != id || (id * (long)options.SegmentSize) / options.SegmentSize != id)
            {
                throw new StoreCorruptionException(path, 16, $"the header names segment {parsed.Value}, the file name {id}");
            }

            segments.Add(new LogSegment(id, path, id * options.SegmentSize) { Used = length, Flushed = length, DirectorySynced = true });
        }

        log._recovered = segments;
        log._recoveredIds = [.. segments.Select(s => s.Id)];
        return log;
    }

    /// <summary>
    /// Checks every record from <paramref name="fromAddress"/> on and hands the valid ones to the visitor.
    /// The first torn or corrupt record cuts the log: its segment is truncated there, later segments
    /// move to log/quarantine/, and the cut is logged. Returns the highest sequence seen.
    /// </summary>
    public long Replay(long fromAddress, long lastSequence, ReplayVisitor visitor) =>
        Replay(fromAddress, lastSequence, _ => visitor, concurrent: false, out _);

    /// <summary>
    /// <see cref="Replay(long, long, ReplayVisitor)"/> with one visitor per segment (by its index in
    /// log order). With <paramref name="concurrent"/>, segments are checked on several threads at
    /// once, so each visitor must only touch its own state; a cut is still applied in log order, and
    /// <paramref name="segmentsKept"/> says how many leading segments survived it: what the visitors
    /// of later segments saw is gone and must be dropped by the caller.
    /// </summary>
    public long Replay(long fromAddress, long lastSequence, Func<int, ReplayVisitor> visitorFor, bool concurrent, out int segmentsKept)
    {
        List<LogSegment> segments = _recovered ?? throw new InvalidOperationException("Replay runs once, after Open.");
        _recovered = null;
        long fromSegment = fromAddress / _segmentSize;

        // Every segment joins the table before any record is replayed: a fuzzy checkpoint can hold
        // a key at a record in a later segment than the one replay meets first.
        // A last segment more than a quarter full is sealed (mapped like the others, appends go to a
        // fresh segment) instead of being read whole into memory: reopening a large database then
        // costs no more memory than the keys. A smaller one becomes the active segment again.
        // (Concurrent replay visitors never read the log, so there a last segment to load is read into
        // memory by the thread that checks it, beside the others, and joins the table afterwards.)
        bool sealLast = segments.Count > 0 && segments[^1].Used > _segmentSize / 4;
        bool loadLastWhileScanning = concurrent && segments.Count > 1 && !sealLast;
        for (int i = 0; i < segments.Count; i++)
        {
            if (i < segments.Count - 1 || sealLast)
            {
                segments[i].MapReadOnly();
                AddToTable(segments[i]);
            }
            else if (!loadLastWhileScanning)
            {
                LoadIntoBuffer(segments[i]);
                AddToTable(segments[i]);
            }
        }

        var scans = new SegmentScan[segments.Count];
        void ScanOne(int i)
        {
            LogSegment segment = segments[i];
            if (loadLastWhileScanning && i == segments.Count - 1)
            {
                LoadIntoBuffer(segment);
            }

            if (segment.Id < fromSegment && i != segments.Count - 1)
            {
                scans[i] = new SegmentScan(segment.Used, lastSequence, null); // sealed and covered by the checkpoint: checksums are checked on every read
                return;
            }

            // The last segment is checked from its start even where the checkpoint covers it: its
            // bytes are served from memory without a checksum once the database is open.
            long visitFrom = segment.Id == fromSegment ? Math.Max(LogSegment.HeaderSize, fromAddress % _segmentSize)
                : segment.Id < fromSegment ? long.MaxValue : LogSegment.HeaderSize;
            long maxSequence = lastSequence;
            long end = ScanSegment(segment, visitFrom, visitorFor(i), ref maxSequence, out string? problem);
            scans[i] = new SegmentScan(end, maxSequence, problem);
        }

        if (loadLastWhileScanning)
        {
            // The last segment first: it is read from its file before it is checked.
            Parallel.For(0, segments.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k => ScanOne(segments.Count - 1 - k));
            AddToTable(segments[^1]);
        }

        long sequence = lastSequence;
        segmentsKept = segments.Count;
        for (int i = 0; i < segments.Count; i++)
        {
            if (!loadLastWhileScanning)
            {
                ScanOne(i);
            }

            LogSegment segment = segments[i];
            SegmentScan scan = scans[i];
            sequence = Math.Max(sequence, scan.MaxSequence);
            if (scan.Problem is not null)
            {
                CutAt(segment, scan.End, segments.Skip(i + 1).ToList(), scan.Problem);
                segmentsKept = i + 1;
                break;
            }

            if (i == segments.Count - 1 && sealLast)
            {
                // Sealed: only zero bytes follow its last record (anything else was a problem, cut above).
                segment.Used = Math.Max(LogSegment.HeaderSize, scan.End);
            }
            else if (i == segments.Count - 1)
            {
                // Appends resume at the aligned end of the last valid record, never at a file length
                // that ends inside padding or the header area.
                _activeTail = Math.Max(LogSegment.HeaderSize, scan.End);
                segment.Used = _activeTail;
                segment.Flushed = Math.Min(segment.Flushed, _activeTail);
            }
        }

        if (_active is null)
        {
            _active = CreateSegment(segments.Count == 0 ? 0 : segments[^1].Id + 1);
            _activeTail = LogSegment.HeaderSize;
        }

        _sequence = sequence;
        _durableAddress = _active.BaseAddress + _activeTail;
        return sequence;
    }

    /// <summary>
    /// After a pass over the whole log (recovery, a checkpoint): the pass touched every page of the mapped
    /// segments, which would stay counted in the process's memory; drop them (reads fault back only the
    /// pages they need). A segment being retired meanwhile is skipped by its lease.
    /// </summary>
    public void ReleaseMappedPages()
    {
        foreach (LogSegment segment in Volatile.Read(ref _table).Segments)
        {
            segment.ReleaseResidentPages();
        }
    }

    /// <summary>
    /// Recovery only: the bytes of a record that replay already checked, from its header to the
    /// end of its segment's valid bytes, without a checksum or a lease (nothing is retired yet).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe ReadOnlySpan<byte> RecoveredRecord(long address)
    {
        LogSegment segment = Volatile.Read(ref _table).Find(address / _segmentSize)
            ?? throw new InvalidOperationException($"No segment holds log address {address}.");
        int offset = (int)(address % _segmentSize);
        return segment.Buffer is { } buffer
            ? buffer.AsSpan(offset, (int)segment.Used - offset)
            : new ReadOnlySpan<byte>(segment.Pointer + offset, (int)(segment.Used - offset));
    }

    /// <summary>Recovery only: asks the CPU to start loading a checked record's first cache line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void PrefetchRecovered(long address)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported || Volatile.Read(ref _table).Find(address / _segmentSize) is not { } segment)
        {
            return;
        }

        int offset = (int)(address % _segmentSize);
        if (segment.Buffer is { } buffer)
        {
            if (offset < buffer.Length)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[offset]));
            }
        }
        else if (segment.Pointer is not null && offset < segment.Used)
        {
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(segment.Pointer + offset);
        }
    }

    private readonly record struct SegmentScan(long End, long MaxSequence, string? Problem);

    /// <summary>Checks the records of a segment from its start; hands those at or after <paramref name="visitFrom"/> to the visitor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe long ScanSegment(LogSegment segment, long visitFrom, ReplayVisitor visitor, ref long maxSequence, out string? problem)
    {
        problem = null;
        long start = LogSegment.HeaderSize;
        ReadOnlySpan<byte> bytes = segment.Buffer is { } buffer
            ? buffer.AsSpan(0, (int)segment.Used)
            : new ReadOnlySpan<byte>(segment.Pointer, (int)segment.Used);
        long offset = start;
        while (offset + RecordHeader.Size <= bytes.Length)
        {
            ReadOnlySpan<byte> rest = bytes[(int)offset..];
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(rest) == 0)
            {
                break; // zero length and checksum: the segment ends here
            }

            if (!RecordHeader.TryValidate(rest, out RecordHeader header))
            {
                problem = "a torn or corrupt record (checksum or lengths wrong)";
                return offset;
            }

            if (offset >= visitFrom)
            {
                visitor(segment.BaseAddress + offset, header, rest.Slice(RecordHeader.Size, header.KeyLength),
                    rest.Slice(RecordHeader.Size + header.KeyLength, header.ValueLength));
            }

            maxSequence = Math.Max(maxSequence, header.Sequence);
            offset += header.AlignedLength;
        }

        if (offset < bytes.Length && bytes[(int)offset..].IndexOfAnyExcept((byte)0) >= 0)
        {
            problem = "bytes after the last record that are not a record";
            return offset;
        }

        // The aligned end of the last record, even when the file stops inside its padding.
        return offset;
    }

    /// <summary>Truncates the log at a bad record: this segment ends there and becomes active; later ones are quarantined.</summary>
    private void CutAt(LogSegment segment, long offset, List<LogSegment> later, string problem)
    {
        _logger.LogError(
            "Record log cut at {Path} offset {Offset}: {Problem}. Records from there on are not served; {Later} later segment(s) moved to quarantine",
            segment.Path, offset, problem, later.Count);
        string quarantine = System.IO.Path.Combine(_directory, "quarantine");
        if (later.Count > 0)
        {
            System.IO.Directory.CreateDirectory(quarantine);
        }

        CutAddress = segment.BaseAddress + offset;
        foreach (LogSegment next in later)
        {
            lock (_tableLock)
            {
                Volatile.Write(ref _table, _table.Without(next));
            }

            next.Dispose();
            File.Move(next.Path, System.IO.Path.Combine(quarantine, System.IO.Path.GetFileName(next.Path)), overwrite: true);
        }

        if (segment.Buffer is null)
        {
            segment.Dispose();
            LoadIntoBuffer(segment);
        }

        segment.Buffer.AsSpan((int)offset).Clear();
        segment.Used = offset;
        segment.Handle!.Dispose();
        segment.Handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        RandomAccess.SetLength(segment.Handle, offset);
        RandomAccess.FlushToDisk(segment.Handle);
        segment.Flushed = offset;
        DirectorySync.Flush(_directory);
        _active = segment;
        _activeTail = offset;
    }

    /// <summary>Reads a segment file into a full-size buffer so appends can continue in it.</summary>
    private void LoadIntoBuffer(LogSegment segment)
    {
        var buffer = new byte[_segmentSize];
        var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long length = Math.Min(RandomAccess.GetLength(handle), _segmentSize);
        int read = 0;
        while (read < length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(read, (int)length - read), read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        segment.Handle = handle;
        segment.Buffer = buffer;
        segment.Used = read;
        segment.Flushed = read;
        _active = segment;
        _activeTail = read;
    }
}
