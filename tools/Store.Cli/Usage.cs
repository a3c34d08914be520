namespace Store.Cli;

/// <summary>The CLI's usage text.</summary>
internal static class Usage
{
    public static int Print(TextWriter writer, int exitCode, string? error = null)
    {
        if (error is not null)
        {
            writer.WriteLine($"store: {error}");
        }

        writer.WriteLine("""
            usage: store <command> [options]

            commands:
              demo [--keys N] [--threads T] [--node-capacity B]
                  Loads N random 8-byte keys into the in-memory B-skiplist index with T threads,
                  reads them back, scans a range, deletes half and prints throughput and shape.
                  Defaults: --keys 1000000 --threads <cores> --node-capacity 100.
              help
                  Prints this text.
            """);
        return exitCode;
    }
}
