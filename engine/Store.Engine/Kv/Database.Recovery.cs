using Microsoft.Extensions.Logging;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Database
{
    private string CheckpointDirectory => System.IO.Path.Combine(Path, "checkpoint");

    /// <summary>Catalog, newest checkpoint, then the log after it; finally per-segment garbage from what stayed live.</summary>
    private void Recover()
    {
        foreach (CatalogKeyspace entry in Catalog.Load(Path))
        {
            var keyspace = new Keyspace(this, entry.Id, entry.Name);
            foreach (CatalogCategory category in entry.Categories)
            {
                keyspace.RestoreCategory(category.Id, category.Name, category.Policy);
            }

            Keyspace?[] all = _keyspacesById;
            if (entry.Id >= all.Length)
            {
                Array.Resize(ref all, entry.Id + 1);
            }

            all[entry.Id] = keyspace;
            _keyspacesById = all;
        }

        long now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var liveBytes = new Dictionary<long, long>();
        (long from, long sequence) = LoadCheckpoint(now, liveBytes);
        int unknownKeyspace = 0;
        if (from == 0)
        {
            // No checkpoint: the indexes are empty, so sort the log's records by key and apply each key's last one.
            var bulk = new BulkReplay(Log);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            bulk.Scan();
            long scanned = watch.ElapsedMilliseconds;
            long records = bulk.Count;
            (long restored, long unknown) = bulk.Apply(this, now, liveBytes);
            unknownKeyspace = (int)Math.Min(int.MaxValue, unknown);
            foreach (Keyspace keyspace in AllKeyspaces)
            {
                keyspace.EndRestore();
            }

            _logger.LogInformation("Replayed {Records} records of the whole log into {Keys} keys: log read and checked in {Scan} ms, sorted and applied in {Apply} ms",
                records, restored, scanned, watch.ElapsedMilliseconds - scanned);
        }
        else
        {
            foreach (Keyspace keyspace in AllKeyspaces)
            {
                keyspace.EndRestore();
            }

            Log.Replay(from, sequence, (long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored) =>
            {
                if (KeyspaceById(header.Keyspace) is { } keyspace)
                {
                    keyspace.Replay(address, header, key, stored, now, liveBytes);
                }
                else
                {
                    unknownKeyspace++;
                }
            });
        }

        if (unknownKeyspace > 0)
        {
            _logger.LogWarning("Replay skipped {Count} records of keyspaces the catalog does not know", unknownKeyspace);
        }

        if (Log.CutAddress != long.MaxValue)
        {
            // The checkpoint may name records the cut removed: those keys are gone, never served.
            long dropped = AllKeyspaces.Sum(k => k.DropEntriesFrom(Log.CutAddress));
            _logger.LogError("Recovery dropped {Count} keys whose records were beyond the log cut at address {Cut}", dropped, Log.CutAddress);
        }

        foreach (LogSegment segment in Log.Segments.Segments)
        {
            long live = liveBytes.GetValueOrDefault(segment.Id);
            segment.DeadBytes = Math.Max(0, segment.Used - LogSegment.HeaderSize - live);
        }

        if (from != 0)
        {
            // Replay from a checkpoint touched only the tail; leave those pages to the page cache. (A whole-log
            // replay read every record: the log is as hot as it gets, and reads then need no page faults.)
            Log.ReleaseMappedPages();
        }
    }

    /// <summary>Loads the newest checkpoint into the indexes; returns where replay starts and the last sequence.</summary>
    private (long From, long Sequence) LoadCheckpoint(long now, Dictionary<long, long> liveBytes)
    {
        if (!Directory.Exists(CheckpointDirectory))
        {
            return (0, 0);
        }

        string? newest = Directory.GetFiles(CheckpointDirectory, "*" + CheckpointFile.Extension).Order(StringComparer.Ordinal).LastOrDefault();
        if (newest is null)
        {
            return (0, 0);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        (long from, long sequence) = CheckpointReader.Read(newest, (int keyspaceId, int category, long expiry, long address, int length, int raw, ReadOnlySpan<byte> key) =>
        {
            if (expiry != 0 && expiry <= now)
            {
                return;
            }

            if (!Log.HasSegmentFor(address))
            {
                throw new StoreCorruptionException(newest, 0, $"an entry points at log address {address}, whose segment is missing");
            }

            KeyspaceById(keyspaceId)?.Restore(key, address, length, expiry, category, raw, liveBytes);
        });
        _logger.LogInformation("Loaded checkpoint {Path} in {Ms} ms; replaying the log from address {From}", newest, watch.ElapsedMilliseconds, from);
        return (from, sequence);
    }
}
