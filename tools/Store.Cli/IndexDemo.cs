using System.Buffers.Binary;
using System.Diagnostics;
using Store.Index;

namespace Store.Cli;

/// <summary>`store demo`: exercises the concurrent B-skiplist end to end and prints what it measured.</summary>
internal static class IndexDemo
{
    public static int Run(string[] args)
    {
        int keys, threads, capacity, kvKeys;
        string data;
        try
        {
            var options = new CliArgs(args, "keys", "threads", "node-capacity", "kv-keys", "data");
            kvKeys = options.Int("kv-keys", 500_000, 0, 100_000_000);
            data = options.Text("data", "data");
            keys = options.Int("keys", 1_000_000, 1, 100_000_000);
            threads = options.Int("threads", Environment.ProcessorCount, 1, 1024);
            capacity = options.Int("node-capacity", 100, BSkipListOptions.MinNodeCapacity, BSkipListOptions.MaxNodeCapacity);
        }
        catch (CliException e)
        {
            return Usage.Print(Console.Error, 2, e.Message);
        }

        Console.WriteLine($"B-skiplist demo: {keys:N0} keys, {threads} threads, node capacity {capacity}");
        ulong[] ids = MakeIds(keys);
        long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = capacity });

        Phase("insert", keys, threads, (i, key) => list.TryAdd(key, (long)ids[i]), ids);
        long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Phase("read", keys, threads, (i, key) => list.TryGetValue(key, out long v) && v == (long)ids[i], ids);

        long scanned = 0;
        var watch = Stopwatch.StartNew();
        list.ScanFrom([], (_, _) => ++scanned > 0);
        Console.WriteLine($"  full scan   {scanned,12:N0} keys in {watch.Elapsed.TotalMilliseconds,8:F1} ms");

        Phase("delete half", keys / 2, threads, (i, key) => list.TryRemove(key, out _), ids);
        BSkipListShape shape = list.Inspect();
        Console.WriteLine($"  keys left   {list.Count,12:N0} (expected {keys - (keys / 2):N0})");
        Console.WriteLine($"  heap        {(heapAfter - heapBefore) / (double)keys,12:F1} bytes per key after load");
        Console.WriteLine($"  levels      nodes {string.Join("/", shape.NodesPerLevel.TakeWhile(n => n > 1).DefaultIfEmpty(1))}, invariants hold");
        if (list.Count != keys - (keys / 2))
        {
            return 1;
        }

        if (kvKeys > 0)
        {
            Console.WriteLine();
            KvDemo.Run(data, kvKeys);
        }

        return 0;
    }

    private static ulong[] MakeIds(int count)
    {
        var ids = new ulong[count];
        var random = new Random(42);
        var seen = new HashSet<ulong>(count);
        for (int i = 0; i < count; i++)
        {
            ulong id;
            do
            {
                id = (ulong)random.NextInt64();
            }
            while (!seen.Add(id));
            ids[i] = id;
        }

        return ids;
    }

    private static void Phase(string name, int count, int threads, Func<int, byte[], bool> operation, ulong[] ids)
    {
        long failures = 0;
        var watch = Stopwatch.StartNew();
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var key = new byte[8];
            long localFailures = 0;
            for (int i = t; i < count; i += threads)
            {
                BinaryPrimitives.WriteUInt64BigEndian(key, ids[i]);
                if (!operation(i, key))
                {
                    localFailures++;
                }
            }

            Interlocked.Add(ref failures, localFailures);
        });
        double seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {name,-11} {count,12:N0} ops in {seconds * 1000,8:F1} ms = {count / seconds / 1e6,6:F2} Mops/s{(failures > 0 ? $"  ({failures} FAILED)" : "")}");
        if (failures > 0)
        {
            throw new InvalidOperationException($"{name}: {failures} operations did not do what they should.");
        }
    }
}
