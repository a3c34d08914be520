using Microsoft.Extensions.Logging;
using Store.Kv;

namespace Store.Storage;

internal sealed partial class RecordLog
{
    private readonly Lock _flushLock = new();
    private readonly object _durableLock = new();
    private readonly AutoResetEvent _flushSignal = new(false);
    private Thread? _flusher;
    private volatile bool _stopping;
    private long _durableAddress;

    /// <summary>Address below which every record is written (and fsynced unless durability is None).</summary>
    public long DurableAddress => Volatile.Read(ref _durableAddress);

    /// <summary>Starts the background flusher (after recovery).</summary>
    public void Start()
    {
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "store-log-flusher" };
        _flusher.Start();
    }

    /// <summary>Wakes the flusher now instead of at its next period.</summary>
    public void RequestFlush() => _flushSignal.Set();

    /// <summary>Blocks until the record ending before <paramref name="endAddress"/> is durable; many writers share one fsync.</summary>
    public void WaitDurable(long endAddress)
    {
        if (Volatile.Read(ref _durableAddress) >= endAddress)
        {
            return;
        }

        RequestFlush();
        lock (_durableLock)
        {
            while (Volatile.Read(ref _durableAddress) < endAddress)
            {
                if (_failure is not null)
                {
                    ThrowFailed();
                }

                Monitor.Wait(_durableLock, 100);
            }
        }
    }

    /// <summary>Writes the log tail and every sealed segment, fsyncs them, and publishes the durable address.</summary>
    public void Flush() => FlushNow(fsync: true);

    private void FlushLoop()
    {
        // Always: flush as soon as a writer asks (concurrent writers pile up behind one fsync).
        // Batched: every group-commit interval. None: write in the background without fsync.
        TimeSpan period = _durability switch
        {
            Durability.Always => TimeSpan.FromMilliseconds(50),
            Durability.Batched => _groupCommitInterval,
            _ => TimeSpan.FromMilliseconds(50),
        };
        while (true)
        {
            bool stopping = _stopping;
            if (!stopping)
            {
                _flushSignal.WaitOne(period);
            }

            try
            {
                FlushNow(fsync: _durability != Durability.None);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                _failure ??= e;
                _logger.LogError(e, "Writing the record log in {Directory} failed; the database no longer accepts writes", _directory);
                lock (_durableLock)
                {
                    Monitor.PulseAll(_durableLock);
                }

                return;
            }

            if (stopping)
            {
                return;
            }
        }
    }

    private void FlushNow(bool fsync)
    {
        lock (_flushLock)
        {
            LogSegment active;
            long tail;
            LogSegment[] sealing;
            lock (_appendLock)
            {
                active = _active;
                tail = _activeTail;
                sealing = [.. _sealing];
                _sealing.Clear();
            }

            foreach (LogSegment full in sealing)
            {
                WriteOut(full, full.Used);
                if (fsync)
                {
                    RandomAccess.FlushToDisk(full.Handle!);
                }

                full.MapReadOnly();
            }

            WriteOut(active, tail);
            if (fsync)
            {
                RandomAccess.FlushToDisk(active.Handle!);
                if (!active.DirectorySynced)
                {
                    DirectorySync.Flush(_directory);
                    active.DirectorySynced = true;
                }
            }

            lock (_durableLock)
            {
                long durable = active.BaseAddress + tail;
                if (durable > _durableAddress)
                {
                    Volatile.Write(ref _durableAddress, durable);
                }

                Monitor.PulseAll(_durableLock);
            }
        }
    }

    private static void WriteOut(LogSegment segment, long upTo)
    {
        if (upTo > segment.Flushed)
        {
            int from = (int)segment.Flushed;
            RandomAccess.Write(segment.Handle!, segment.Buffer.AsSpan(from, (int)(upTo - from)), from);
            segment.Flushed = upTo;
        }
    }

    /// <summary>Stops the flusher, writes and fsyncs everything, and closes the segments.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        _flushSignal.Set();
        _flusher?.Join();
        if (_failure is null && _active is not null)
        {
            FlushNow(fsync: true);
        }

        foreach (LogSegment segment in Volatile.Read(ref _table).Segments.Concat(_recovered ?? []))
        {
            segment.Dispose();
        }

        _flushSignal.Dispose();
    }
}
