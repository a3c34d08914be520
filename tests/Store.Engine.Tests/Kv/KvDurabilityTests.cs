using System.Collections.Concurrent;
using System.Diagnostics;
using Store.Kv;
using Xunit.Abstractions;

namespace Store.Tests.Kv;

/// <summary>
/// Durability.Always with concurrent writers: every write (and delete) is in the files once its call
/// returned, so a copy of the directory taken while the database is still open (what a crash at that
/// moment would leave) holds them all; and a clean reopen does too.
/// </summary>
public sealed class KvDurabilityTests(ITestOutputHelper output)
{
    private const int Threads = 8;

    [Fact]
    public void AlwaysWithConcurrentWritersKeepsEveryAcknowledgedWrite()
    {
        using var temp = new TempDirectory("always");
        string path = temp.Combine("db");
        var options = new DatabaseOptions
        {
            Durability = Durability.Always,
            SegmentSize = 1 << 20,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
        };
        int perThread = TestMode.Ops(600);
        int seed = TestMode.Seed(5003);
        var failures = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        using (Database db = Database.Open(path, options))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("always");
            using var start = new Barrier(Threads);
            var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    for (int i = 0; i < perThread; i++)
                    {
                        Assert.True(keyspace.Set(Key(t, i), Value(seed, t, i)).Written);
                        if (i % 10 == 9)
                        {
                            Assert.True(keyspace.Delete(Key(t, i - 5)));
                        }
                    }
                }
                catch (Exception e)
                {
                    failures.Enqueue($"writer {t}: {e}");
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Assert.True(failures.IsEmpty, string.Join("\n", failures));
            output.WriteLine($"{Threads * perThread} Always writes and {Threads * (perThread / 10)} deletes from {Threads} threads in {watch.ElapsedMilliseconds} ms");

            // Every call returned, so every record is in the files now: a copy is what a crash here would leave.
            string crashed = temp.Combine("crashed");
            CopyDatabaseFiles(path, crashed);
            using (Database copy = Database.Open(crashed, options))
            {
                ExpectAll(copy.GetKeyspace("always"), perThread, seed, "a copy taken while open");
            }

            ExpectAll(keyspace, perThread, seed, "the open database");
        }

        using (Database db = Database.Open(path, options))
        {
            ExpectAll(db.GetKeyspace("always"), perThread, seed, "after reopen");
        }
    }

    [Fact]
    public void FlushMakesBatchedWritesDurable()
    {
        using var temp = new TempDirectory("flush");
        string path = temp.Combine("db");
        var options = new DatabaseOptions
        {
            Durability = Durability.Batched,
            GroupCommitInterval = TimeSpan.FromSeconds(10), // the group commit will not come in time: only Flush can
            SegmentSize = 1 << 20,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
        };
        int seed = TestMode.Seed(5004);
        using Database db = Database.Open(path, options);
        Keyspace keyspace = db.GetOrCreateKeyspace("always");
        for (int i = 0; i < 300; i++)
        {
            keyspace.Set(Key(0, i), Value(seed, 0, i));
            if (i % 10 == 9)
            {
                keyspace.Delete(Key(0, i - 5));
            }
        }

        db.Flush();
        string crashed = temp.Combine("crashed");
        CopyDatabaseFiles(path, crashed);
        using Database copy = Database.Open(crashed, options);
        ExpectAll(copy.GetKeyspace("always"), 300, seed, "a copy taken after Flush", threads: 1);
    }

    private static byte[] Key(int thread, int i) => Bytes.Of($"t{thread}:{i:D6}");

    /// <summary>Small to 3 KB values; every fourth one compressible and above the compression threshold.</summary>
    private static byte[] Value(int seed, int thread, int i)
    {
        var rng = new Random(HashCode.Combine(seed, thread, i));
        return i % 4 == 0 ? Bytes.Compressible(1024 + rng.Next(2000), (byte)i) : Bytes.Random(rng, 1 + rng.Next(600));
    }

    private static void ExpectAll(Keyspace keyspace, int perThread, int seed, string context, int threads = Threads)
    {
        long expected = 0;
        for (int t = 0; t < threads; t++)
        {
            for (int i = 0; i < perThread; i++)
            {
                bool deleted = i % 10 == 4 && i + 5 < perThread;
                byte[]? value = keyspace.Get(Key(t, i));
                Assert.True(deleted ? value is null : value is not null && value.AsSpan().SequenceEqual(Value(seed, t, i)),
                    $"{context}: writer {t} key {i} should be {(deleted ? "deleted" : "present")}, is {Bytes.Show(value)}");
                expected += deleted ? 0 : 1;
            }
        }

        Assert.Equal(expected, keyspace.Count);
    }

    /// <summary>Copies the catalog, log segments and checkpoints of an open database (not its LOCK).</summary>
    private static void CopyDatabaseFiles(string from, string to)
    {
        Directory.CreateDirectory(LogFiles.LogDirectory(to));
        File.Copy(Path.Combine(from, "CATALOG"), Path.Combine(to, "CATALOG"));
        foreach (string segment in LogFiles.Segments(from))
        {
            File.Copy(segment, Path.Combine(LogFiles.LogDirectory(to), Path.GetFileName(segment)));
        }

        if (Directory.Exists(LogFiles.CheckpointDirectory(from)))
        {
            LogFiles.CopyDirectory(LogFiles.CheckpointDirectory(from), LogFiles.CheckpointDirectory(to));
        }
    }
}
