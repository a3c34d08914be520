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
            // A recovery that finds no usable checkpoint replays every segment left. Where a segment older
            // than a chosen one survives, it may hold an earlier Put of a key that a chosen segment's
            // tombstone (or expired record) ended: such removals are carried to the tail as tombstones,
            // or that earlier Put would come back.
            long oldestSurvivor = Log.Segments.Segments.Where(s => !chosen.Contains(s)).Select(s => s.Id).DefaultIfEmpty(long.MaxValue).Min();
            foreach (LogSegment segment in chosen)
            {
                bool olderSurvives = oldestSurvivor < segment.Id;
                Log.ForEachRecord(segment, (long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored) =>
                {
                    if (KeyspaceById(header.Keyspace) is not { } keyspace)
                    {
                        return;
                    }

                    if (header.Kind == RecordKind.Put)
                    {
                        // Known garbage needs no index lookup, unless an older segment survives: then a Put
                        // whose key has no current record leaves a tombstone, and only the index can tell.
                        if (!olderSurvives && segment.IsRecordDead(address - segment.BaseAddress))
                        {
                            return;
                        }

                        keyspace.Relocate(address, header, key, stored, now, olderSurvives);
                    }
                    else if (olderSurvives)
                    {
                        keyspace.CarryTombstone(header, key);
                    }
                });
            }

            // After this checkpoint a recovery reads none of the chosen segments.
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
