namespace Store.Bench.Cli;

/// <summary>One benchmark suite: a name on the command line, its options and its run.</summary>
internal interface ISuite
{
    /// <summary>The first command-line argument that selects this suite.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Summary { get; }

    /// <summary>Options this suite accepts besides the common ones.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Runs the suite; returns the process exit code (0 ok, 1 failure).</summary>
    int Run(SuiteContext context);
}
