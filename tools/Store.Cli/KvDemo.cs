using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Store.Kv;

namespace Store.Cli;

/// <summary>The durable half of `store demo`: writes into a data directory, reads back, reopens and times recovery.</summary>
internal static class KvDemo
{
    public static void Run(string directory, int keys)
    {
        Console.WriteLine($"KV tier demo: {keys:N0} keys of 16 bytes, 100-byte values, in {Path.GetFullPath(directory)}");
        var value = new byte[100];
        new Random(7).NextBytes(value);
        var key = new byte[16];
        var watch = Stopwatch.StartNew();
        using (Database db = Database.Open(directory))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("demo");
            for (int i = 0; i < keys; i++)
            {
                Compose(key, i);
                BinaryPrimitives.WriteInt32LittleEndian(value, i);
                keyspace.Set(key, value);
            }

            Report("set", keys, watch);
            var read = new ArrayBufferWriter<byte>(128);
            watch.Restart();
            for (int i = 0; i < keys; i++)
            {
                Compose(key, i);
                read.ResetWrittenCount();
                if (!keyspace.TryGet(key, read, out _) || BinaryPrimitives.ReadInt32LittleEndian(read.WrittenSpan) != i)
                {
                    throw new InvalidOperationException($"key {i} did not read back what was written");
                }
            }

            Report("get", keys, watch);
            watch.Restart();
            long scanned = keyspace.ScanFrom([], (_, _) => true);
            Report("scan", scanned, watch);
        }

        watch.Restart();
        using (Database db = Database.Open(directory))
        {
            double ms = watch.Elapsed.TotalMilliseconds;
            (long logBytes, long liveBytes) = db.Usage;
            Keyspace keyspace = db.GetKeyspace("demo");
            Console.WriteLine($"  reopen      {keyspace.Count,12:N0} keys in {ms,8:F1} ms (checkpoint + log replay)");
            Console.WriteLine($"  on disk     {logBytes,12:N0} log bytes, {liveBytes:N0} live");
            if (keyspace.Count < keys)
            {
                throw new InvalidOperationException($"after reopen the keyspace holds {keyspace.Count} keys, expected at least {keys}");
            }
        }
    }

    private static void Compose(byte[] key, int i)
    {
        BinaryPrimitives.WriteUInt64BigEndian(key, 0x64656d6f3a6b6579UL); // "demo:key"
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(8), (ulong)i * 2654435761UL);
    }

    private static void Report(string name, long count, Stopwatch watch)
    {
        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-11} {count,12:N0} ops in {seconds * 1000,8:F1} ms = {count / seconds / 1e6,6:F2} Mops/s");
    }
}
