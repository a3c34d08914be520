using System.Diagnostics;
using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// The maintenance thread: active expiry, periodic checkpoints and automatic compaction happen
/// without being asked. Each waits (polling) up to <see cref="Patience"/> for the effect.
/// </summary>
public sealed class KvBackgroundTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void ActiveExpiryRemovesExpiredKeys()
    {
        using var temp = new TempDirectory("active-expiry");
        var clock = new ManualTimeProvider();
        using Database db = Database.Open(temp.Combine("db"), new DatabaseOptions
        {
            SegmentSize = 1 << 20,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.FromMilliseconds(10),
            TimeProvider = clock,
        });
        Keyspace keyspace = db.GetOrCreateKeyspace("ttl");
        Category category = keyspace.DefineCategory("c", new CategoryPolicy());
        for (int i = 0; i < 300; i++)
        {
            keyspace.Set(Bytes.Of($"short{i}"), "x"u8, new WriteOptions { Ttl = TimeSpan.FromSeconds(1), Category = i % 2 == 0 ? category : null });
            keyspace.Set(Bytes.Of($"long{i}"), "x"u8, new WriteOptions { Ttl = TimeSpan.FromHours(1) });
        }

        Assert.Equal(600, keyspace.Count);
        clock.Advance(TimeSpan.FromSeconds(2));

        Assert.True(WaitFor(() => keyspace.Count == 300), $"active expiry left {keyspace.Count} keys");
        Assert.Equal(150, category.Expirations);
        Assert.Equal(0, category.Entries);
        Assert.Null(keyspace.Get("short0"u8));
        Assert.NotNull(keyspace.Get("long0"u8));
    }

    [Fact]
    public void CheckpointsAreWrittenPeriodically()
    {
        using var temp = new TempDirectory("periodic-checkpoint");
        string path = temp.Combine("db");
        using Database db = Database.Open(path, new DatabaseOptions
        {
            SegmentSize = 1 << 20,
            CheckpointInterval = TimeSpan.FromMilliseconds(100),
            ActiveExpiryInterval = TimeSpan.Zero,
        });
        Keyspace keyspace = db.GetOrCreateKeyspace("k");
        for (int i = 0; i < 100; i++)
        {
            keyspace.Set(Bytes.Of($"k{i}"), "v"u8);
        }

        // A checkpoint's name is the log address replay starts from: one past the writes above must appear.
        Assert.True(WaitFor(() => Directory.Exists(LogFiles.CheckpointDirectory(path))
            && Directory.GetFiles(LogFiles.CheckpointDirectory(path), "*.ckpt").Any(f => long.Parse(Path.GetFileNameWithoutExtension(f), System.Globalization.CultureInfo.InvariantCulture) > LogFiles.SegmentHeaderSize)),
            "no periodic checkpoint appeared");
    }

    [Fact]
    public void CompactionStartsByItselfPastTheTrigger()
    {
        using var temp = new TempDirectory("auto-compaction");
        string path = temp.Combine("db");
        using Database db = Database.Open(path, new DatabaseOptions
        {
            SegmentSize = 1 << 20,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
            CompressionThreshold = 0,
        });
        Keyspace keyspace = db.GetOrCreateKeyspace("k");
        var rng = new Random(TestMode.Seed(77));
        for (int round = 0; round < 8; round++)
        {
            for (int i = 0; i < 300; i++)
            {
                keyspace.Set(Bytes.Of($"k{i}"), Bytes.Random(rng, 2000)); // 600 KB live, 4.8 MB written
            }
        }

        Assert.True(db.Usage.LogBytes > 3 * db.Usage.LiveBytes);
        Assert.True(WaitFor(() => db.Usage.LogBytes <= 2 * db.Usage.LiveBytes + (2L << 20)),
            $"no automatic compaction: log {db.Usage.LogBytes} bytes, live {db.Usage.LiveBytes}");
        Assert.Equal(300, keyspace.Count);
    }

    private static bool WaitFor(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > Patience)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }
}
