using System.Diagnostics;

namespace Store.Tests.Index;

/// <summary>Time budget of a stress run, shared by its workers; aborted early when any worker fails.</summary>
internal sealed class StressClock(TimeSpan duration)
{
    private readonly Stopwatch _stopwatch = new();
    private int _aborted;

    public bool Running => Volatile.Read(ref _aborted) == 0 && _stopwatch.Elapsed < duration;

    public void Start() => _stopwatch.Start();

    public void Abort() => Volatile.Write(ref _aborted, 1);
}
