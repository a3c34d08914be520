namespace Store.Bench.Cli;

/// <summary>Options every suite accepts.</summary>
internal static class CommonOptions
{
    public static OptionSpec Quick { get; } = new("quick", null, "smaller sizes and one repeat (a few minutes)");

    public static OptionSpec Out { get; } = new("out", "DIR", "results folder (default: bench/results of the repository, else ./results)");

    public static IReadOnlyList<OptionSpec> All { get; } = [Quick, Out];
}
