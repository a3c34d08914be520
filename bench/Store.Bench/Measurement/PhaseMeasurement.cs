namespace Store.Bench.Measurement;

/// <summary>The outcome of one timed run of one workload on one structure.</summary>
internal sealed record PhaseMeasurement(
    long Operations,
    double Seconds,
    double P50Microseconds,
    double P99Microseconds,
    double P999Microseconds,
    GcSnapshot Gc,
    bool FreshExhausted)
{
    public double Mops => Operations / Seconds / 1e6;
}
