namespace Store.Tests;

/// <summary>
/// Quick (CI) versus long test mode, shared by every randomized or time-bounded suite.
/// Set <c>STORE_LONG_TESTS=1</c> to multiply randomized operation counts by <see cref="LongScale"/>
/// and to run each time-bounded stress test for <see cref="LongStressSeconds"/> seconds.
/// Set <c>STORE_TEST_SEED=n</c> to shift every fixed seed by n (explores new random sequences;
/// failure messages always print the effective seed).
/// </summary>
internal static class TestMode
{
    public const int LongScale = 20;
    public const double LongStressSeconds = 60;

    public static bool IsLong { get; } = Environment.GetEnvironmentVariable("STORE_LONG_TESTS") == "1";

    private static int SeedOffset { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("STORE_TEST_SEED"), out int offset) ? offset : 0;

    /// <summary>1 in quick mode, <see cref="LongScale"/> in long mode.</summary>
    public static int Scale => IsLong ? LongScale : 1;

    /// <summary>Scales an operation count chosen for quick mode.</summary>
    public static int Ops(int quickCount) => checked(quickCount * Scale);

    /// <summary>Duration of a time-bounded stress test: the quick value, or a minute in long mode.</summary>
    public static TimeSpan StressDuration(double quickSeconds) =>
        TimeSpan.FromSeconds(IsLong ? LongStressSeconds : quickSeconds);

    /// <summary>The effective seed for a test's fixed base seed.</summary>
    public static int Seed(int baseSeed) => unchecked(baseSeed + SeedOffset);
}
