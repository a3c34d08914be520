using Microsoft.Extensions.Logging;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Database
{
    private readonly Lock _checkpointLock = new();

    /// <summary>Writes an index checkpoint now, so recovery replays only the log after it.</summary>
    public void Checkpoint()
    {
        ThrowIfDisposed();
        WriteCheckpoint();
    }

    /// <summary>
    /// A fuzzy snapshot: replay starts at the log tail as of the start (once every write below it has
    /// reached the index), the indexes are read while
    /// writes go on (replay fixes what changed meanwhile), and the log is flushed again before the
    /// file is committed, so every address in it is durable.
    /// </summary>
    private void WriteCheckpoint()
    {
        lock (_checkpointLock)
        {
            Log.Flush();
            long from = Log.TailAddress;
            if (File.Exists(System.IO.Path.Combine(CheckpointDirectory, CheckpointFile.FileName(from))))
            {
                return; // nothing was appended since the newest checkpoint
            }

            // A write appends and updates the index under its key's stripe. After this barrier every
            // record below `from` is in the index, so the scan below cannot miss one replay skips.
            Stripes.Barrier();
            long now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            string path;
            long count;
            using (var writer = new CheckpointWriter(CheckpointDirectory, from, Log.LastSequence))
            {
                foreach (Keyspace keyspace in AllKeyspaces)
                {
                    keyspace.WriteCheckpoint(writer, now);
                }

                Log.Flush();
                writer.Commit();
                path = writer.Path;
                count = writer.Count;
            }

            foreach (string old in Directory.GetFiles(CheckpointDirectory))
            {
                if (old != path)
                {
                    File.Delete(old);
                }
            }

            // The pass read every live record: leave those mapped pages to the page cache, not this process.
            Log.ReleaseMappedPages();
            _logger.LogInformation("Checkpoint {Path}: {Count} entries in {Ms} ms", path, count, watch.ElapsedMilliseconds);
        }
    }
}
