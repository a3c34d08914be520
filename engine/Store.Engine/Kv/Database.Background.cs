using Microsoft.Extensions.Logging;

namespace Store.Kv;

public sealed partial class Database
{
    private static readonly TimeSpan CompactionCheckPeriod = TimeSpan.FromSeconds(1);
    private readonly ManualResetEventSlim _stop = new(false);
    private Thread? _background;

    private void StartBackground()
    {
        _background = new Thread(BackgroundLoop) { IsBackground = true, Name = "store-maintenance" };
        _background.Start();
    }

    private void StopBackground()
    {
        _stop.Set();
        _background?.Join();
    }

    /// <summary>Active expiry, periodic checkpoints and compaction, on one thread; a failure is logged and retried.</summary>
    private void BackgroundLoop()
    {
        TimeSpan tick = Options.ActiveExpiryInterval > TimeSpan.Zero
            ? TimeSpan.FromTicks(Math.Min(Options.ActiveExpiryInterval.Ticks, TimeSpan.FromMilliseconds(250).Ticks))
            : TimeSpan.FromMilliseconds(250);
        var sinceCheckpoint = System.Diagnostics.Stopwatch.StartNew();
        var sinceCompaction = System.Diagnostics.Stopwatch.StartNew();
        while (!_stop.Wait(tick))
        {
            try
            {
                if (Options.ActiveExpiryInterval > TimeSpan.Zero)
                {
                    SweepExpired();
                }

                if (sinceCompaction.Elapsed >= CompactionCheckPeriod)
                {
                    sinceCompaction.Restart();
                    CompactIfWorthIt();
                }

                if (Options.CheckpointInterval > TimeSpan.Zero && sinceCheckpoint.Elapsed >= Options.CheckpointInterval)
                {
                    sinceCheckpoint.Restart();
                    WriteCheckpoint();
                }
            }
            catch (Exception e) when (e is IOException or StoreException or InvalidOperationException)
            {
                _logger.LogError(e, "Background maintenance of {Path} failed; retrying on the next tick", Path);
            }
        }
    }

    /// <summary>Removes expired keys of every keyspace and category (bounded work per call).</summary>
    internal int SweepExpired()
    {
        long now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        int examined = 0;
        foreach (Keyspace keyspace in AllKeyspaces)
        {
            examined += keyspace.SweepExpired(0, now, 10_000);
            foreach (Category category in keyspace.Categories)
            {
                examined += keyspace.SweepExpired(category.Id, now, 10_000);
            }
        }

        return examined;
    }
}
