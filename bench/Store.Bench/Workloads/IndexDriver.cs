using Store.Bench.Measurement;
using Store.Bench.Peers;

namespace Store.Bench.Workloads;

/// <summary>One live structure under test, driven without knowing its adapter type.</summary>
internal interface IIndexDriver
{
    /// <summary>The adapter, boxed: for checks outside timed loops.</summary>
    IOrderedIndex Index { get; }

    /// <summary>Inserts every key of <paramref name="keys"/>, split in contiguous slices over the threads.</summary>
    PhaseMeasurement Load(KeySet keys, int threads);

    /// <summary>Replays one stream per worker for <paramref name="duration"/>.</summary>
    PhaseMeasurement Run(IReadOnlyList<WorkerInput> workers, TimeSpan duration);
}

/// <summary>The driver of adapter <typeparamref name="TIndex"/>: instantiates the specialised loops.</summary>
internal sealed class IndexDriver<TIndex>(TIndex index) : IIndexDriver
    where TIndex : struct, IOrderedIndex
{
    public IOrderedIndex Index => index;

    public PhaseMeasurement Load(KeySet keys, int threads) =>
        PhaseRunner.Run(threads, null, (worker, state, _) =>
        {
            long start = (long)keys.Count * worker / threads;
            long end = (long)keys.Count * (worker + 1) / threads;
            OperationLoop.Load(index, keys, (int)start, (int)end, state);
        });

    public PhaseMeasurement Run(IReadOnlyList<WorkerInput> workers, TimeSpan duration) =>
        PhaseRunner.Run(workers.Count, duration, (worker, state, stop) => OperationLoop.Run(index, workers[worker], state, stop));
}
