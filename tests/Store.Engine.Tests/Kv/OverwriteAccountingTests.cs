using System.Text;
using Store.Kv;
using Store.Storage;

namespace Store.Tests.Kv;

/// <summary>
/// A blind overwrite of a plain record (no category, no TTL) settles its garbage from the length its
/// index slot carries, without reading the record; every other overwrite reads it. Both must count
/// exactly the replaced record's bytes, also for slots restored at open, which carry no length.
/// </summary>
public sealed class OverwriteAccountingTests
{
    [Fact]
    public void OverwritesCountExactlyTheReplacedRecordsAsGarbage()
    {
        using var temp = new TempDirectory("overwrite-accounting");
        // One segment holds everything: it stays active, so no compaction retires garbage while the test counts it.
        var options = new DatabaseOptions { SegmentSize = 16 << 20, CheckpointInterval = TimeSpan.Zero, ActiveExpiryInterval = TimeSpan.Zero };
        long expectedDead = 0;
        using (Database db = Database.Open(temp.Combine("db"), options))
        {
            Keyspace keyspace = db.GetOrCreateKeyspace("k");
            Category tagged = keyspace.DefineCategory("tagged", new CategoryPolicy());
            var random = new Random(7);
            var current = new Dictionary<string, int>();
            for (int i = 0; i < 4000; i++)
            {
                string name = $"key:{random.Next(300):D12}";
                byte[] key = Encoding.ASCII.GetBytes(name);
                // Values up to 600 bytes: records above the longest length a slot can carry take the read path.
                byte[] value = new byte[random.Next(1, 600)];
                WriteOptions write = (i % 5) switch
                {
                    0 => new WriteOptions { Ttl = TimeSpan.FromHours(1) },
                    1 => new WriteOptions { Category = tagged },
                    _ => default,
                };
                keyspace.Set(key, value, write);
                if (current.TryGetValue(name, out int replaced))
                {
                    expectedDead += replaced;
                }

                current[name] = RecordHeader.AlignedSize(RecordHeader.Size + key.Length + value.Length);
            }

            Assert.Equal(expectedDead, db.Log.Usage().Dead);
        }

        using (Database db = Database.Open(temp.Combine("db"), options))
        {
            // Restored slots carry no length: their first overwrite reads the record, and counts the same.
            Keyspace keyspace = db.GetOrCreateKeyspace("k");
            long deadAtOpen = db.Log.Usage().Dead;
            long added = 0;
            for (int i = 0; i < 300; i++)
            {
                byte[] key = Encoding.ASCII.GetBytes($"key:{i:D12}");
                Assert.True(keyspace.Index.TryGetValue(key, out long slot));
                Assert.True(db.Log.TryRead(slot & Keyspace.AddressMask, out RecordRef record));
                using (record)
                {
                    added += record.Header.AlignedLength;
                }

                keyspace.Set(key, "x"u8.ToArray());
            }

            Assert.Equal(deadAtOpen + added, db.Log.Usage().Dead);
        }
    }
}
