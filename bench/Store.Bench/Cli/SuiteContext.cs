namespace Store.Bench.Cli;

/// <summary>What a suite gets to run: its parsed options, the console and the common settings.</summary>
internal sealed class SuiteContext(ParsedOptions options, TextWriter output)
{
    public ParsedOptions Options { get; } = options;

    public TextWriter Output { get; } = output;

    /// <summary>Smaller sizes and fewer repeats, for a run of a few minutes.</summary>
    public bool Quick => Options.Has(CommonOptions.Quick.Name);

    /// <summary>The results folder given with <c>--out</c>, or null for the default.</summary>
    public string? OutDirectory => Options.Value(CommonOptions.Out.Name);
}
