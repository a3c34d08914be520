namespace Store.Bench.Cli;

/// <summary>Picks the suite named by the first argument, parses its options and runs it.</summary>
internal static class SuiteDispatcher
{
    public const int UsageExitCode = 2;

    public static int Run(string[] args, IReadOnlyList<ISuite> suites, TextWriter output, TextWriter error)
    {
        if (args.Length == 0)
        {
            error.Write(Usage(suites));
            return UsageExitCode;
        }

        if (args[0] is "-h" or "--help" or "help")
        {
            output.Write(Usage(suites));
            return 0;
        }

        var suite = suites.FirstOrDefault(s => s.Name == args[0]);
        if (suite is null)
        {
            error.WriteLine($"error: unknown suite '{args[0]}'");
            error.Write(Usage(suites));
            return UsageExitCode;
        }

        try
        {
            var options = ParsedOptions.Parse(args[1..], [.. CommonOptions.All, .. suite.Options]);
            return suite.Run(new SuiteContext(options, output));
        }
        catch (UsageException e)
        {
            error.WriteLine($"error: {e.Message}");
            error.Write(Usage(suites));
            return UsageExitCode;
        }
    }

    private static string Usage(IReadOnlyList<ISuite> suites)
    {
        using var text = new StringWriter();
        text.WriteLine("usage: dotnet run -c Release --project bench/Store.Bench -- <suite> [--quick] [--out DIR] [options]");
        text.WriteLine();
        text.WriteLine("common options:");
        WriteOptions(text, CommonOptions.All);
        foreach (var suite in suites)
        {
            text.WriteLine();
            text.WriteLine($"suite {suite.Name}: {suite.Summary}");
            WriteOptions(text, suite.Options);
        }

        return text.ToString();
    }

    private static void WriteOptions(TextWriter text, IReadOnlyList<OptionSpec> options)
    {
        foreach (var option in options)
        {
            text.WriteLine($"  {option.Syntax,-24} {option.Help}");
        }
    }
}
