using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Recovery without a checkpoint (a crash before the first one, or checkpoints lost): the whole log
/// is checked on several threads, its records sorted by key in ranges on several threads and each
/// key's last record applied. These tests reopen such logs and compare every keyspace with a model:
/// keys rewritten across segments, deleted, expired, sharing their first 8 bytes or differing only by
/// trailing zero bytes, compressed values, several keyspaces, enough keys to sort in several ranges.
/// </summary>
public sealed class KvBulkReplayTests
{
    private static DatabaseOptions Options(ManualTimeProvider clock) => new()
    {
        SegmentSize = 1 << 20,
        CompressionThreshold = 64,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
        TimeProvider = clock,
    };

    [Fact]
    public void WholeLogReplayMatchesTheModelForEveryKeyspace()
    {
        using var temp = new TempDirectory("bulk-replay");
        string path = temp.Combine("db");
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var rng = new Random(TestMode.Seed(7001));
        string[] names = ["alpha", "beta", "gamma"];
        var models = names.ToDictionary(n => n, _ => new Dictionary<byte[], byte[]>(ByteOrder.Instance));
        int operations = TestMode.Ops(200_000);

        using (var db = Database.Open(path, Options(clock)))
        {
            Keyspace[] keyspaces = [.. names.Select(db.GetOrCreateKeyspace)];
            for (int i = 0; i < operations; i++)
            {
                int which = rng.Next(10) < 8 ? 0 : 1 + rng.Next(2); // most records in one keyspace, so it sorts in ranges
                Keyspace keyspace = keyspaces[which];
                Dictionary<byte[], byte[]> model = models[names[which]];
                byte[] key = NextKey(rng, model);
                int roll = rng.Next(100);
                if (roll < 8 && model.Count > 0)
                {
                    keyspace.Delete(key);
                    model.Remove(key);
                }
                else if (roll < 12)
                {
                    // Expires before the reopen: never restored, whatever came before it.
                    keyspace.Set(key, Value(rng), new WriteOptions { Ttl = TimeSpan.FromSeconds(30) });
                    model.Remove(key);
                }
                else
                {
                    byte[] value = Value(rng);
                    keyspace.Set(key, value, new WriteOptions { Ttl = roll < 20 ? TimeSpan.FromDays(1) : null });
                    model[key] = value;
                }
            }
        }

        Assert.True(Directory.GetFiles(Path.Combine(path, "log"), "*.seg").Length >= 4, "the log should span several segments");
        DeleteCheckpoints(path);
        clock.Advance(TimeSpan.FromMinutes(1));

        using (var db = Database.Open(path, Options(clock)))
        {
            foreach (string name in names)
            {
                ExpectExactly(db.GetOrCreateKeyspace(name), models[name], name);
            }

            // The reopened database keeps working: writes land after the replayed log.
            Keyspace alpha = db.GetOrCreateKeyspace("alpha");
            alpha.Set(Bytes.Of("after-reopen"), Bytes.Of("v"));
            models["alpha"][Bytes.Of("after-reopen")] = Bytes.Of("v");
        }

        DeleteCheckpoints(path);
        using (var db = Database.Open(path, Options(clock)))
        {
            ExpectExactly(db.GetOrCreateKeyspace("alpha"), models["alpha"], "alpha, second reopen");
        }
    }

    [Fact]
    public void KeysSharingTheirFirstEightBytesKeepTheirLastRecord()
    {
        using var temp = new TempDirectory("bulk-replay-prefix");
        string path = temp.Combine("db");
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000));
        var model = new Dictionary<byte[], byte[]>(ByteOrder.Instance);
        using (var db = Database.Open(path, Options(clock)))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("k");
            for (int round = 0; round < 3; round++)
            {
                for (int i = 0; i < 20_000; i++)
                {
                    // "user:000" is shared by a thousand keys; "a", "a\0", "a\0\0" share their padded prefix.
                    byte[] key = i % 3 == 0 ? Bytes.Of($"user:{i:D8}") : [(byte)'a', .. new byte[i % 5]];
                    byte[] value = Bytes.Of($"round {round} item {i}");
                    keyspace.Set(key, value);
                    model[key] = value;
                }
            }
        }

        DeleteCheckpoints(path);
        using (var db = Database.Open(path, Options(clock)))
        {
            ExpectExactly(db.GetOrCreateKeyspace("k"), model, "k");
        }
    }

    private static byte[] NextKey(Random rng, Dictionary<byte[], byte[]> model)
    {
        int shape = rng.Next(10);
        return shape switch
        {
            < 3 when model.Count > 0 => model.Keys.ElementAt(rng.Next(Math.Min(model.Count, 64))), // rewrite a few keys many times
            < 5 => Bytes.Of($"shared:{rng.Next(50_000):D6}"),                                       // first 8 bytes shared
            < 6 => [.. Bytes.Of("z"), .. new byte[rng.Next(4)]],                                    // trailing zero bytes
            _ => Bytes.Random(rng, 1 + rng.Next(24)),
        };
    }

    private static byte[] Value(Random rng) =>
        rng.Next(4) == 0 ? Bytes.Of(new string('x', 100 + rng.Next(400))) : Bytes.Random(rng, rng.Next(40)); // some compress

    private static void DeleteCheckpoints(string path)
    {
        string checkpoints = Path.Combine(path, "checkpoint");
        if (Directory.Exists(checkpoints))
        {
            Directory.Delete(checkpoints, recursive: true);
        }
    }

    private static void ExpectExactly(Keyspace keyspace, Dictionary<byte[], byte[]> model, string name)
    {
        var seen = new List<KeyValuePair<byte[], byte[]>>();
        keyspace.ScanFrom([], (key, value) =>
        {
            seen.Add(new(key.ToArray(), value.ToArray()));
            return true;
        });
        var expected = model.OrderBy(p => p.Key, ByteOrder.Instance).ToList();
        Assert.True(expected.Count == seen.Count, $"{name}: {seen.Count} keys after replay, the model has {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.True(
                ByteOrder.Instance.Equals(expected[i].Key, seen[i].Key) && ByteOrder.Instance.Equals(expected[i].Value, seen[i].Value),
                $"{name}: entry {i} is {Bytes.Show(seen[i].Key)}={Bytes.Show(seen[i].Value)}, the model has {Bytes.Show(expected[i].Key)}={Bytes.Show(expected[i].Value)}");
        }

        Assert.Equal(expected.Count, keyspace.Count);
    }
}
