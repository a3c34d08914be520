using System.Text;
using Store.Kv;

namespace Store.Cli;

/// <summary>`store set|get|del|scan|inspect|verify`: the KV tier on a data directory (default ./data, keyspace "default").</summary>
internal static class KvCommands
{
    private static readonly string[] Known = ["data", "keyspace", "ttl", "limit"];

    public static int Run(string command, string[] args)
    {
        var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
        CliArgs options;
        try
        {
            options = new CliArgs(args[positional.Length..], Known);
        }
        catch (CliException e)
        {
            return Usage.Print(Console.Error, 2, e.Message);
        }

        string data = options.Text("data", "data");
        string keyspaceName = options.Text("keyspace", "default");
        try
        {
            using Database db = Database.Open(data);
            return command switch
            {
                "set" => Set(db.GetOrCreateKeyspace(keyspaceName), positional, options),
                "get" => Get(db, keyspaceName, positional),
                "del" => Delete(db, keyspaceName, positional),
                "scan" => Scan(db, keyspaceName, positional, options),
                "inspect" => Inspect(db),
                "verify" => Verify(db),
                _ => Usage.Print(Console.Error, 2, $"unknown command '{command}'"),
            };
        }
        catch (Exception e) when (e is StoreException or ArgumentException or CliException)
        {
            Console.Error.WriteLine($"store: {e.Message}");
            return 1;
        }
    }

    private static int Set(Keyspace keyspace, string[] positional, CliArgs options)
    {
        Require(positional, 2, "set <key> <value>");
        int ttl = options.Int("ttl", 0, 0, int.MaxValue);
        var write = new WriteOptions { Ttl = ttl > 0 ? TimeSpan.FromSeconds(ttl) : null };
        WriteResult result = keyspace.Set(Encoding.UTF8.GetBytes(positional[0]), Encoding.UTF8.GetBytes(positional[1]), write);
        Console.WriteLine($"OK version {result.Version}");
        return 0;
    }

    private static int Get(Database db, string keyspace, string[] positional)
    {
        Require(positional, 1, "get <key>");
        byte[]? value = db.GetKeyspace(keyspace).Get(Encoding.UTF8.GetBytes(positional[0]));
        if (value is null)
        {
            Console.Error.WriteLine("(not found)");
            return 1;
        }

        Console.WriteLine(Encoding.UTF8.GetString(value));
        return 0;
    }

    private static int Delete(Database db, string keyspace, string[] positional)
    {
        Require(positional, 1, "del <key>");
        bool removed = db.GetKeyspace(keyspace).Delete(Encoding.UTF8.GetBytes(positional[0]));
        Console.WriteLine(removed ? "deleted" : "(not found)");
        return removed ? 0 : 1;
    }

    private static int Scan(Database db, string keyspace, string[] positional, CliArgs options)
    {
        byte[] prefix = positional.Length > 0 ? Encoding.UTF8.GetBytes(positional[0]) : [];
        int limit = options.Int("limit", 100, 1, int.MaxValue);
        long shown = db.GetKeyspace(keyspace).ScanPrefix(prefix, (key, value) =>
        {
            Console.WriteLine($"{Encoding.UTF8.GetString(key)}\t{Encoding.UTF8.GetString(value)}");
            return true;
        }, limit);
        Console.Error.WriteLine($"({shown} entries)");
        return 0;
    }

    private static int Inspect(Database db)
    {
        (long logBytes, long liveBytes) = db.Usage;
        Console.WriteLine($"database  {db.Path}");
        Console.WriteLine($"log       {logBytes:N0} bytes, {liveBytes:N0} live");
        foreach (string name in db.Keyspaces)
        {
            Keyspace keyspace = db.GetKeyspace(name);
            Console.WriteLine($"keyspace  {name}: {keyspace.Count:N0} keys");
            foreach (Category category in keyspace.Categories)
            {
                Console.WriteLine($"  category {category.Name}: {category.Entries:N0} entries, {category.Bytes:N0} bytes, " +
                    $"{category.Evictions:N0} evicted, {category.Expirations:N0} expired");
            }
        }

        return 0;
    }

    /// <summary>Reads every live value (checksums are verified on every read from a sealed segment).</summary>
    private static int Verify(Database db)
    {
        long total = 0;
        foreach (string name in db.Keyspaces)
        {
            long n = db.GetKeyspace(name).ScanFrom([], (_, _) => true);
            Console.WriteLine($"keyspace {name}: {n:N0} entries read");
            total += n;
        }

        Console.WriteLine($"verified {total:N0} entries: OK");
        return 0;
    }

    private static void Require(string[] positional, int count, string usage)
    {
        if (positional.Length != count)
        {
            throw new CliException($"usage: store {usage} [--data DIR] [--keyspace NAME]");
        }
    }
}
