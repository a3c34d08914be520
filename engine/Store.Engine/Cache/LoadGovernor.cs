namespace Store.Cache;

/// <summary>
/// The adaptive load policy's state machine: Normal until a reported load reaches the high-water
/// mark, then Relaxed until one falls to the low-water mark (between the marks the state holds, so a
/// load hovering at one mark does not flap).
/// </summary>
internal sealed class LoadGovernor(CacheLoadOptions options)
{
    private readonly Lock _lock = new();
    private double _load;
    private bool _relaxed;

    public bool Relaxed => Volatile.Read(ref _relaxed);

    public CacheLoadState State
    {
        get
        {
            lock (_lock)
            {
                return new CacheLoadState(_load, _relaxed);
            }
        }
    }

    public CacheLoadState Report(double load)
    {
        if (double.IsNaN(load) || load < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), load, "A load is a utilisation from 0 (idle) to 1 (saturated); larger values count as 1.");
        }

        load = Math.Min(load, 1);
        lock (_lock)
        {
            _load = load;
            if (!_relaxed && load >= options.HighWater)
            {
                Volatile.Write(ref _relaxed, true);
            }
            else if (_relaxed && load <= options.LowWater)
            {
                Volatile.Write(ref _relaxed, false);
            }

            return new CacheLoadState(_load, _relaxed);
        }
    }
}
