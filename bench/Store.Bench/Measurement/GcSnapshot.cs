namespace Store.Bench.Measurement;

/// <summary>Collection counts per generation and total pause time, to take deltas around a run.</summary>
internal readonly record struct GcSnapshot(int Gen0, int Gen1, int Gen2, TimeSpan Pause)
{
    public static GcSnapshot Take() =>
        new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

    public GcSnapshot Since(GcSnapshot earlier) =>
        new(Gen0 - earlier.Gen0, Gen1 - earlier.Gen1, Gen2 - earlier.Gen2, Pause - earlier.Pause);
}
