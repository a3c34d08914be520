using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Numbered records for the corruption tests: key i is "rec:&lt;i&gt;" (so key order is write order),
/// its value a deterministic function of i (16 B .. 3.6 KB; every fifth one compressible and above the
/// compression threshold). Each key is written once, so record n of the log is key n.
/// </summary>
internal static class RecordDataSet
{
    public const string KeyspaceName = "data";

    public static DatabaseOptions Options() => new()
    {
        SegmentSize = 1 << 20,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
    };

    public static byte[] Key(int i) => Bytes.Of($"rec:{i:D6}");

    public static byte[] Value(int i)
    {
        int length = 16 + (int)((i * 7919L) % 2500);
        if (i % 5 == 0)
        {
            return Bytes.Compressible(length + 1100, (byte)i);
        }

        byte[] value = Bytes.Random(new Random(i), length);
        BitConverter.TryWriteBytes(value, i);
        return value;
    }

    /// <summary>Writes keys [from, from + count) and closes the database.</summary>
    public static void Write(string path, int from, int count)
    {
        using Database db = Database.Open(path, Options());
        Keyspace keyspace = db.GetOrCreateKeyspace(KeyspaceName);
        for (int i = from; i < from + count; i++)
        {
            keyspace.Set(Key(i), Value(i));
        }
    }

    /// <summary>Opens the database and checks that exactly the keys below <paramref name="upTo"/> for which <paramref name="present"/> holds are there, with their values.</summary>
    public static void Expect(string path, int upTo, Func<int, bool> present, string context)
    {
        using Database db = Database.Open(path, Options());
        Expect(db.GetKeyspace(KeyspaceName), upTo, present, context);
    }

    public static void Expect(Keyspace keyspace, int upTo, Func<int, bool> present, string context)
    {
        int expectedCount = 0;
        for (int i = 0; i < upTo; i++)
        {
            byte[]? value = keyspace.Get(Key(i));
            if (present(i))
            {
                expectedCount++;
                Assert.True(value is not null && value.AsSpan().SequenceEqual(Value(i)), $"{context}: key {i} should hold its value, has {Bytes.Show(value)}");
            }
            else
            {
                Assert.True(value is null, $"{context}: key {i} should be gone, has {Bytes.Show(value)}");
            }
        }

        Assert.Equal(expectedCount, keyspace.Count);
    }
}
