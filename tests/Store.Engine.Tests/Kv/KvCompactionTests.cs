using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using Store.Kv;
using Xunit.Abstractions;

namespace Store.Tests.Kv;

/// <summary>
/// Compaction while writers overwrite and readers read: every value read is a whole value of its key
/// (key and generation encoded in it, the rest derived from them) and no reader sees a key go back
/// in time; afterwards compaction brings the log within twice the live bytes, the live-bytes
/// accounting matches the records that are live, and everything survives a reopen.
/// </summary>
public sealed class KvCompactionTests(ITestOutputHelper output)
{
    private const int KeyCount = 1200;
    private const int Writers = 2;
    private const int Readers = 2;

    [Fact]
    public void CompactionUnderConcurrentReadsAndWritesKeepsEveryValueWhole()
    {
        using var temp = new TempDirectory("compaction");
        string path = temp.Combine("db");
        var options = new DatabaseOptions
        {
            SegmentSize = 1 << 20,
            CompressionThreshold = 0, // stored bytes = value bytes, so the accounting check below is exact
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
        };
        int seed = TestMode.Seed(9001);
        int[] generations = new int[KeyCount]; // last generation written per key (each key has one writer)
        long segmentsRemoved = 0;
        long reads = 0;
        long writes = 0;
        var failures = new ConcurrentQueue<string>();

        using (Database db = Database.Open(path, options))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("churn");
            for (int key = 0; key < KeyCount; key++)
            {
                keyspace.Set(Key(key), Value(key, 0));
            }

            TimeSpan duration = TestMode.StressDuration(4);
            var clock = Stopwatch.StartNew();
            bool Running() => clock.Elapsed < duration && failures.IsEmpty;
            var threads = new List<Thread>();
            for (int w = 0; w < Writers; w++)
            {
                int writer = w;
                threads.Add(Worker($"writer {writer}", failures, () =>
                {
                    var rng = new Random(seed + writer);
                    while (Running())
                    {
                        int key = (rng.Next(KeyCount / Writers) * Writers) + writer;
                        int generation = generations[key] + 1;
                        keyspace.Set(Key(key), Value(key, generation));
                        Volatile.Write(ref generations[key], generation);
                        Interlocked.Increment(ref writes);
                    }
                }));
            }

            for (int r = 0; r < Readers; r++)
            {
                int reader = r;
                threads.Add(Worker($"reader {reader}", failures, () =>
                {
                    var rng = new Random(seed + 100 + reader);
                    int[] seen = new int[KeyCount];
                    while (Running())
                    {
                        if (rng.Next(50) == 0)
                        {
                            int from = rng.Next(KeyCount);
                            keyspace.Scan(Key(from), Key(Math.Min(KeyCount - 1, from + 40)), (k, v) =>
                            {
                                CheckValue(BinaryPrimitives.ReadInt32BigEndian(k[2..]), v, seen, "Scan");
                                return true;
                            });
                            continue;
                        }

                        int key = rng.Next(KeyCount);
                        byte[]? value = keyspace.Get(Key(key));
                        if (value is null)
                        {
                            throw new InvalidOperationException($"key {key} is missing");
                        }

                        CheckValue(key, value, seen, "Get");
                        Interlocked.Increment(ref reads);
                    }
                }));
            }

            threads.Add(Worker("compactor", failures, () =>
            {
                int round = 0;
                while (Running())
                {
                    Interlocked.Add(ref segmentsRemoved, db.Compact());
                    if (++round % 50 == 0)
                    {
                        db.Checkpoint();
                    }

                    Thread.Sleep(2);
                }
            }));

            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.True(failures.IsEmpty, string.Join("\n", failures));
            Assert.True(segmentsRemoved > 0, $"no compaction happened in {duration.TotalSeconds} s ({writes} writes)");

            while (db.Compact() > 0)
            {
            }

            (long logBytes, long liveBytes) = db.Usage;
            output.WriteLine($"{writes} writes, {reads} reads, {segmentsRemoved} segments compacted; log {logBytes} bytes, live {liveBytes}");
            Assert.True(logBytes <= 2 * liveBytes, $"after compaction the log holds {logBytes} bytes for {liveBytes} live bytes");
            Assert.Equal(ExpectedLiveBytes(path, generations), liveBytes);
            ExpectLastValues(keyspace, generations);
        }

        using (Database db = Database.Open(path, options))
        {
            ExpectLastValues(db.GetKeyspace("churn"), generations);
            Assert.Equal(ExpectedLiveBytes(path, generations), db.Usage.LiveBytes);
        }
    }

    [Fact]
    public void CompactionRemovesGarbageSegmentsAndKeepsDeletesDeleted()
    {
        using var temp = new TempDirectory("compaction-deletes");
        string path = temp.Combine("db");
        var options = new DatabaseOptions { SegmentSize = 1 << 20, CheckpointInterval = TimeSpan.Zero, ActiveExpiryInterval = TimeSpan.Zero, CompressionThreshold = 0 };
        var rng = new Random(TestMode.Seed(9002));
        using (Database db = Database.Open(path, options))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("k");
            for (int i = 0; i < 3000; i++)
            {
                keyspace.Set(Key(i), Value(i, 0)); // ~7 MiB
            }

            for (int i = 0; i < 3000; i++)
            {
                if (i % 3 != 0)
                {
                    Assert.True(keyspace.Delete(Key(i)));
                }
            }

            int segmentsBefore = LogFiles.Segments(path).Length;
            int removed = 0;
            for (int n; (n = db.Compact()) > 0;)
            {
                removed += n;
            }

            Assert.True(removed > 0, "nothing compacted");
            Assert.True(LogFiles.Segments(path).Length < segmentsBefore);
            (long logBytes, long liveBytes) = db.Usage;
            Assert.True(logBytes <= 2 * liveBytes, $"log {logBytes}, live {liveBytes}");
        }

        // The tombstones of compacted segments are gone: the deleted keys must stay deleted anyway.
        using (Database db = Database.Open(path, options))
        {
            Keyspace keyspace = db.GetKeyspace("k");
            Assert.Equal(1000, keyspace.Count);
            for (int i = 0; i < 3000; i++)
            {
                byte[]? value = keyspace.Get(Key(i));
                Assert.True(i % 3 == 0 ? value is not null && value.AsSpan().SequenceEqual(Value(i, 0)) : value is null, $"key {i}: {Bytes.Show(value)}");
            }
        }
    }

    private static Thread Worker(string name, ConcurrentQueue<string> failures, Action body) => new(() =>
    {
        try
        {
            body();
        }
        catch (Exception e)
        {
            failures.Enqueue($"{name}: {e}");
        }
    })
    { Name = name };

    private static byte[] Key(int key)
    {
        byte[] bytes = new byte[6];
        bytes[0] = (byte)'c';
        bytes[1] = (byte)':';
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(2), key);
        return bytes;
    }

    /// <summary>1..4 KB: key, generation, then bytes derived from both (incompressible).</summary>
    private static byte[] Value(int key, int generation)
    {
        var rng = new Random(HashCode.Combine(key, generation));
        byte[] value = new byte[1000 + rng.Next(3000)];
        rng.NextBytes(value);
        BinaryPrimitives.WriteInt32LittleEndian(value, key);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), generation);
        return value;
    }

    private static void CheckValue(int key, ReadOnlySpan<byte> value, int[] seen, string how)
    {
        if (value.Length < 8 || BinaryPrimitives.ReadInt32LittleEndian(value) != key)
        {
            throw new InvalidOperationException($"{how} of key {key} returned a value of another key or a broken one ({value.Length} bytes)");
        }

        int generation = BinaryPrimitives.ReadInt32LittleEndian(value[4..]);
        if (!value.SequenceEqual(Value(key, generation)))
        {
            throw new InvalidOperationException($"{how} of key {key} returned generation {generation} with wrong bytes");
        }

        if (generation < seen[key])
        {
            throw new InvalidOperationException($"{how} of key {key} went back from generation {seen[key]} to {generation}");
        }

        seen[key] = generation;
    }

    private static void ExpectLastValues(Keyspace keyspace, int[] generations)
    {
        Assert.Equal(KeyCount, keyspace.Count);
        for (int key = 0; key < KeyCount; key++)
        {
            byte[]? value = keyspace.Get(Key(key));
            Assert.True(value is not null && value.AsSpan().SequenceEqual(Value(key, generations[key])),
                $"key {key} should hold generation {generations[key]}, holds {(value is null ? "nothing" : BinaryPrimitives.ReadInt32LittleEndian(value.AsSpan(4)).ToString(System.Globalization.CultureInfo.InvariantCulture))}");
        }
    }

    /// <summary>
    /// What Usage.LiveBytes must be: each segment's 64-byte header area plus, per key, its current
    /// record (40-byte header, key, value) padded to 8 bytes.
    /// </summary>
    private static long ExpectedLiveBytes(string path, int[] generations)
    {
        long records = 0;
        for (int key = 0; key < KeyCount; key++)
        {
            records += (LogFiles.RecordHeaderSize + Key(key).Length + Value(key, generations[key]).Length + 7) & ~7;
        }

        return (LogFiles.Segments(path).Length * (long)LogFiles.SegmentHeaderSize) + records;
    }
}
