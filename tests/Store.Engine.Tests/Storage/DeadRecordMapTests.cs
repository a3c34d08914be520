using System.Text;
using Store.Kv;
using Store.Storage;
using Store.Tests.Kv;

namespace Store.Tests.Storage;

/// <summary>
/// The per-segment map of records known to be garbage, which lets compaction skip them without an
/// index lookup: exactly the marked records read dead, marks from concurrent writers all land, and the
/// engine marks a record when its key is overwritten or deleted, never while it is current.
/// </summary>
public sealed class DeadRecordMapTests
{
    private const long SegmentSize = 1 << 20;

    [Fact]
    public void OnlyMarkedRecordsReadDead()
    {
        using var segment = new LogSegment(3, "unused.log", 3 * SegmentSize);
        Assert.False(segment.IsRecordDead(64)); // no garbage yet: no map

        segment.MarkRecordDead(72, SegmentSize);
        Assert.True(segment.IsRecordDead(72));
        Assert.False(segment.IsRecordDead(64));
        Assert.False(segment.IsRecordDead(80));

        segment.MarkRecordDead(SegmentSize - 8, SegmentSize); // the last step of the segment
        Assert.True(segment.IsRecordDead(SegmentSize - 8));
        Assert.False(segment.IsRecordDead(SegmentSize - 16));
    }

    [Fact]
    public void ConcurrentMarksInTheSameWordAllLand()
    {
        using var segment = new LogSegment(0, "unused.log", 0);
        const int Threads = 4;
        const int Steps = 64 * 256; // every thread marks its own steps, which share 64-bit words with the others'
        Parallel.For(0, Threads, thread =>
        {
            for (int step = thread; step < Steps; step += Threads)
            {
                segment.MarkRecordDead(step * 8L, SegmentSize);
            }
        });

        for (int step = 0; step < Steps; step++)
        {
            Assert.True(segment.IsRecordDead(step * 8L), $"step {step} lost its mark");
        }

        Assert.False(segment.IsRecordDead(Steps * 8L));
    }

    [Fact]
    public void OverwritesAndDeletesMarkTheRecordTheyEndAndNeverTheCurrentOne()
    {
        using var temp = new TempDirectory("dead-record-map");
        var options = new DatabaseOptions { SegmentSize = (int)SegmentSize, CheckpointInterval = TimeSpan.Zero, ActiveExpiryInterval = TimeSpan.Zero };
        using Database db = Database.Open(temp.Combine("db"), options);
        Keyspace keyspace = db.GetOrCreateKeyspace("k");
        byte[] overwritten = Encoding.ASCII.GetBytes("key:000000000001");
        byte[] deleted = Encoding.ASCII.GetBytes("key:000000000002");
        byte[] untouched = Encoding.ASCII.GetBytes("key:000000000003");

        keyspace.Set(overwritten, "first"u8.ToArray());
        keyspace.Set(deleted, "gone"u8.ToArray());
        keyspace.Set(untouched, "kept"u8.ToArray());
        long first = AddressOf(keyspace, overwritten);
        long gone = AddressOf(keyspace, deleted);
        long kept = AddressOf(keyspace, untouched);
        Assert.False(IsDead(db, first));
        Assert.False(IsDead(db, gone));

        keyspace.Set(overwritten, "second"u8.ToArray());
        Assert.True(keyspace.Delete(deleted));

        Assert.True(IsDead(db, first));
        Assert.True(IsDead(db, gone));
        Assert.False(IsDead(db, AddressOf(keyspace, overwritten)));
        Assert.False(IsDead(db, kept));
    }

    private static long AddressOf(Keyspace keyspace, byte[] key)
    {
        Assert.True(keyspace.Index.TryGetValue(key, out long slot));
        return slot & Keyspace.AddressMask;
    }

    private static bool IsDead(Database db, long address)
    {
        LogSegment segment = db.Log.Segments.Find(address / SegmentSize) ?? throw new InvalidOperationException($"no segment holds address {address}");
        return segment.IsRecordDead(address - segment.BaseAddress);
    }
}
