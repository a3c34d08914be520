namespace Store.Bench.Measurement;

/// <summary>What one worker thread measured; written by that thread only, read after it joined.</summary>
internal sealed class WorkerState
{
    /// <summary>Per-operation latency; a field so the worker records through a ref, without copies.</summary>
    public LatencyHistogram Latency;

    public long Operations { get; set; }

    public long StartTicks { get; set; }

    public long EndTicks { get; set; }

    /// <summary>Sum of values read, so no read can be optimised away; also a cross-check between runs.</summary>
    public long Checksum { get; set; }

    /// <summary>Operations whose outcome contradicts the workload (a read that missed a loaded key...).</summary>
    public long Anomalies { get; set; }

    /// <summary>True when the worker ran out of fresh keys and went round its slice again.</summary>
    public bool FreshExhausted { get; set; }

    public Exception? Failure { get; set; }
}
