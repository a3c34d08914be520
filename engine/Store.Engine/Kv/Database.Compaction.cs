using Microsoft.Extensions.Logging;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Database
{
    private const int MaxSegmentsPerCompaction = 8;
    private readonly Lock _compactionLock = new();

    /// <summary>Log bytes on disk and the part of them still live.</summary>
    public (long LogBytes, long LiveBytes) Usage
    {
        get
        {
            (long total, long dead) = Log.Usage();
            return (total, total - dead);
        }
    }

    /// <summary>
    /// Compacts now if the log holds more than <see cref="DatabaseOptions.CompactionTrigger"/> times its
    /// live bytes: live records of the sealed segments with the most garbage move to the tail, a
    /// checkpoint is written, and those segments are deleted. Returns the number of segments removed.
    /// </summary>
    public int Compact()
    {
        ThrowIfDisposed();
        return CompactIfWorthIt();
    }

    private int CompactIfWorthIt()
    {
        lock (_compactionLock)
        {
            (long total, long dead) = Log.Usage();
            long live = total - dead;
            if (total < 2L * Options.SegmentSize || total <= live * Options.CompactionTrigger)
            {
                return 0;
            }

            // Sealed (mapped) segments only, most garbage first; stop once the rest would be under the trigger.
            var chosen = new List<LogSegment>();
            long remaining = total;
            foreach (LogSegment segment in Log.Segments.Segments.Where(s => s.Buffer is null && s.MappedHandle is not null)
                .OrderByDescending(s => Volatile.Read(ref s.DeadBytes)))
            {
                long garbage = Volatile.Read(ref segment.DeadBytes);
                if (chosen.Count == MaxSegmentsPerCompaction || remaining <= live * 1.1 || garbage * 4 < segment.Used)
                {
                    break;
                }

                chosen.Add(segment);
                remaining -= garbage;
            }

            if (chosen.Count == 0)
            {
                return 0;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            long now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            foreach (LogSegment segment in chosen)
            {
                Log.ForEachRecord(segment, (long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored) =>
                {
                    if (header.Kind == RecordKind.Put && KeyspaceById(header.Keyspace) is { } keyspace)
                    {
                        keyspace.Relocate(address, header, key, stored, now);
                    }
                });
            }

            // After this checkpoint no recovery reads the chosen segments: their tombstones can go too.
            WriteCheckpoint();
            foreach (LogSegment segment in chosen)
            {
                Log.Retire(segment);
            }

            _logger.LogInformation("Compacted {Count} segments in {Ms} ms; log {Before} -> {After} bytes, {Live} live",
                chosen.Count, watch.ElapsedMilliseconds, total, Log.Usage().Total, live);
            return chosen.Count;
        }
    }
}
