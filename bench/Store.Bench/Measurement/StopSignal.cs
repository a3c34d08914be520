namespace Store.Bench.Measurement;

/// <summary>The shared stop flag of a timed run; workers poll it every 64 operations.</summary>
internal sealed class StopSignal
{
    private volatile bool _set;

    public bool IsSet => _set;

    public void Set() => _set = true;
}
