namespace Store.Tests;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>, so TTL expiry is deterministic.
/// Only <see cref="GetUtcNow"/> is overridden: the engine reads wall time from it and nothing else.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    /// <summary>Start of every test clock unless given: a fixed, unremarkable instant.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private long _utcTicks;

    public ManualTimeProvider()
        : this(DefaultStart)
    {
    }

    public ManualTimeProvider(DateTimeOffset start)
    {
        _utcTicks = start.UtcTicks;
    }

    /// <summary>Now, as Unix milliseconds (the engine's unit for expiry times).</summary>
    public long UnixMs => GetUtcNow().ToUnixTimeMilliseconds();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock forward (never back).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, by.Ticks);
    }
}
