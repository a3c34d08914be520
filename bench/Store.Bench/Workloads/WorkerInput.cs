namespace Store.Bench.Workloads;

/// <summary>
/// What one worker of a timed run replays: its operation stream (from <see cref="Offset"/>, cyclic),
/// the loaded keys, and for inserts of new keys its own slice of the fresh keys.
/// </summary>
internal sealed class WorkerInput(Operation[] operations, int offset, KeySet keys, KeySet? fresh, int freshStart, int freshCount, long valueBase)
{
    public Operation[] Operations { get; } = operations;

    public int Offset { get; } = offset;

    public KeySet Keys { get; } = keys;

    public KeySet? Fresh { get; } = fresh;

    public int FreshStart { get; } = freshStart;

    public int FreshCount { get; } = freshCount;

    /// <summary>First value written by this worker (updates write distinct, increasing values).</summary>
    public long ValueBase { get; } = valueBase;

    /// <summary>Fresh keys inserted (set by the worker), so they can be removed after the run.</summary>
    public int FreshUsed { get; set; }
}
