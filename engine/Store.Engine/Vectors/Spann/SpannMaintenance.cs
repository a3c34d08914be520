using System.Collections.Concurrent;

namespace Store.Vectors;

/// <summary>
/// The background half of LIRE for one <see cref="SpannIndex"/>: a thread that splits the lists queued
/// as oversized (with the reassignment a split calls for), sweeps small lists for merging, and hands
/// freed blocks back once searches drained. Work is bounded per step (one split, or a few heads of the
/// sweep); a checkpoint waits for the step in progress (<see cref="StepLock"/>). A failure stops the
/// thread and is rethrown to the next writer (<see cref="ThrowIfFailed"/>).
/// </summary>
internal sealed class SpannMaintenance : IDisposable
{
    private const int SweepHeadsPerStep = 16;
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(20);

    private readonly SpannIndex _index;
    private readonly ConcurrentQueue<int> _splits = new();
    private readonly ConcurrentDictionary<int, byte> _queued = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private Exception? _failure;
    private int _sweepCursor;
    private long _splitsDone;
    private long _mergesDone;
    private long _reassigned;

    public SpannMaintenance(SpannIndex index) => _index = index;

    /// <summary>
    /// How often the posting file is synced while written blocks wait in memory for it: bounds those
    /// copies (about a period's worth of appends). Tests lengthen it to keep blocks in memory.
    /// </summary>
    internal TimeSpan SyncPeriod { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Held for each step; a checkpoint takes it to see the index between steps.</summary>
    public object StepLock { get; } = new();

    /// <summary>Lists split so far.</summary>
    public long Splits => Interlocked.Read(ref _splitsDone);

    /// <summary>Lists merged away so far.</summary>
    public long Merges => Interlocked.Read(ref _mergesDone);

    /// <summary>Vectors given a new version and placed again by reassignment.</summary>
    public long Reassigned => Interlocked.Read(ref _reassigned);

    /// <summary>Splits waiting.</summary>
    public int Pending => _splits.Count;

    /// <summary>Starts the thread (once).</summary>
    public void Start()
    {
        if (_thread is not null)
        {
            return;
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "spann-maintenance" };
        _thread.Start();
    }

    /// <summary>Queues a head whose list grew past MaxPostingVectors (once until it is handled).</summary>
    public void RequestSplit(int head)
    {
        if (_queued.TryAdd(head, 0))
        {
            _splits.Enqueue(head);
            _signal.Release();
        }
    }

    /// <summary>Runs queued work on the calling thread until none is left (tests; the index's writer is quiet meanwhile).</summary>
    public void RunUntilIdle()
    {
        ThrowIfFailed();
        while (!_splits.IsEmpty)
        {
            lock (StepLock)
            {
                Step(sweep: false);
            }
        }

        lock (StepLock)
        {
            _index.KeepHeadsReachable(force: true);
        }
    }

    public void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } failure)
        {
            throw new InvalidOperationException($"The SPANN index's background maintenance failed ({failure.Message}); updates stop. Reopen the database (changes since the last checkpoint are replayed from the records) or rebuild the index.", failure);
        }
    }

    internal void CountSplit() => Interlocked.Increment(ref _splitsDone);

    internal void CountMerge() => Interlocked.Increment(ref _mergesDone);

    internal void CountReassigned(int n) => Interlocked.Add(ref _reassigned, n);

    public void Dispose()
    {
        _stop.Cancel();
        _signal.Release();
        _thread?.Join();
        _thread = null;
    }

    private void Run()
    {
        var synced = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                _signal.Wait(Idle);
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                lock (StepLock)
                {
                    Step(sweep: _splits.IsEmpty);
                }

                SyncIfDue(synced);
                List<int>? freed = _index.Store.TakeReclaimable();
                List<byte[]>? retired = _index.Store.Unsynced.TakeRetired();
                if (freed is not null || retired is not null)
                {
                    _index.DrainSearches();
                    if (freed is not null)
                    {
                        _index.Store.Reclaim(freed);
                    }

                    if (retired is not null)
                    {
                        _index.Store.Unsynced.Reuse(retired);
                    }
                }
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _failure, e);
        }
    }

    /// <summary>Syncs the posting file every <see cref="SyncPeriod"/> while blocks wait in memory for it (<see cref="UnsyncedBlocks"/>).</summary>
    private void SyncIfDue(System.Diagnostics.Stopwatch sinceSync)
    {
        if (_index.Store.Unsynced.IsEmpty || sinceSync.Elapsed < SyncPeriod)
        {
            return;
        }

        _index.Store.Flush();
        sinceSync.Restart();
    }

    /// <summary>One bounded step: a queued split (and the head graph's reachability check it may call for), else (when <paramref name="sweep"/>) a few heads checked for merging.</summary>
    private void Step(bool sweep)
    {
        if (_splits.TryDequeue(out int head))
        {
            _queued.TryRemove(head, out _);
            _index.Split(head);
            _index.KeepHeadsReachable(force: false);
            return;
        }

        if (!sweep || _index.Options.MergeThreshold == 0)
        {
            return;
        }

        int heads = _index.HeadCount;
        for (int i = 0; i < SweepHeadsPerStep && heads > 0; i++)
        {
            _sweepCursor = (_sweepCursor + 1) % heads;
            _index.TryMerge(_sweepCursor);
        }
    }
}
