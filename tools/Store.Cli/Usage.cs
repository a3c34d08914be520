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
              demo [--keys N] [--threads T] [--node-capacity B] [--kv-keys M] [--data DIR]
                  Loads N random 8-byte keys into the in-memory B-skiplist index with T threads,
                  reads them back, scans, deletes half and prints throughput and shape; then
                  writes M keys into the durable KV tier in DIR, reads them back, reopens it and
                  times recovery. Defaults: --keys 1000000 --threads <cores> --node-capacity 100
                  --kv-keys 500000 --data ./data.
              set <key> <value> [--ttl SECONDS]    writes a value (UTF-8)
              get <key>                            prints a value
              del <key>                            deletes a key
              scan [prefix] [--limit N]            lists entries in key order (default 100)
              inspect                              keyspaces, categories, log size and live bytes
              verify                               reads every entry, checking record checksums
                  Common: --data DIR (default ./data), --keyspace NAME (default "default").
              help
                  Prints this text.
            """);
        return exitCode;
    }
}
