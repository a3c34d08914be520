namespace Store.Bench.Measurement;

/// <summary>
/// Runs one measured phase on dedicated threads (not the pool, not pinned): threads are created,
/// meet the coordinator at a barrier, then work either to completion (a load) or until the stop flag
/// is set after <c>duration</c>. Reports throughput over the span from the first worker start to the
/// last worker end, merged latency quantiles and the GC activity of the run. Workers are background
/// threads, so stuck ones (see <see cref="StuckWorkersException"/>) do not keep the process alive.
/// </summary>
internal static class PhaseRunner
{
    /// <summary>How long past its stop signal a timed run may take before its workers count as stuck (livelock, deadlock).</summary>
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    /// <summary>How long a load may take before its workers count as stuck.</summary>
    public static readonly TimeSpan LoadStuckAfter = TimeSpan.FromHours(1);

    public delegate void WorkerBody(int worker, WorkerState state, StopSignal stop);

    public static PhaseMeasurement Run(int threadCount, TimeSpan? duration, WorkerBody body)
    {
        var states = new WorkerState[threadCount];
        var threads = new Thread[threadCount];
        var stop = new StopSignal();
        using var barrier = new Barrier(threadCount + 1);
        for (int i = 0; i < threadCount; i++)
        {
            int worker = i;
            var state = states[i] = new WorkerState();
            threads[i] = new Thread(() =>
            {
                barrier.SignalAndWait();
                try
                {
                    body(worker, state, stop);
                }
                catch (Exception e)
                {
                    state.Failure = e;
                }
            })
            {
                Name = $"bench-worker-{i}",
                IsBackground = true,
            };
            threads[i].Start();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gcBefore = GcSnapshot.Take();
        barrier.SignalAndWait();
        if (duration is { } wait)
        {
            Thread.Sleep(wait);
            stop.Set();
        }

        var patience = duration is null ? LoadStuckAfter : StuckAfter;
        var deadline = DateTime.UtcNow + patience;
        foreach (var thread in threads)
        {
            var left = deadline - DateTime.UtcNow;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                throw new StuckWorkersException($"a worker thread was still running {patience.TotalMinutes} minutes after it should have stopped");
            }
        }

        var gc = GcSnapshot.Take().Since(gcBefore);
        return Summarize(states, gc);
    }

    private static PhaseMeasurement Summarize(WorkerState[] states, GcSnapshot gc)
    {
        var failures = states.Where(s => s.Failure is not null).Select(s => s.Failure!).ToArray();
        if (failures.Length > 0)
        {
            throw new AggregateException("a worker thread failed", failures);
        }

        long anomalies = states.Sum(s => s.Anomalies);
        if (anomalies > 0)
        {
            throw new InvalidOperationException(
                $"{anomalies} operations had an outcome the workload rules out (missed read, failed insert...)");
        }

        ref var merged = ref states[0].Latency;
        for (int i = 1; i < states.Length; i++)
        {
            merged.Add(ref states[i].Latency);
        }

        long start = states.Min(s => s.StartTicks);
        long end = states.Max(s => s.EndTicks);
        double seconds = (end - start) / (double)System.Diagnostics.Stopwatch.Frequency;
        return new PhaseMeasurement(
            states.Sum(s => s.Operations),
            seconds,
            merged.QuantileMicroseconds(0.50),
            merged.QuantileMicroseconds(0.99),
            merged.QuantileMicroseconds(0.999),
            gc,
            states.Any(s => s.FreshExhausted));
    }
}
