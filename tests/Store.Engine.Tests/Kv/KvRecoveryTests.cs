using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Recovery from a fuzzy checkpoint: one taken while writes went on holds, for some keys, records
/// written after its start address, even in later segments. The log after the start is replayed over
/// it. The checkpoints here are written by the test (format: CheckpointFile.cs) to pin down exactly
/// the states a checkpoint racing with writers leaves; the crash tests reach them by chance.
/// </summary>
public sealed class KvRecoveryTests
{
    private const int SegmentSize = 1 << 20;
    private const int Fillers = 700; // 4 KB each: the log spans three segments
    private static readonly byte[] Hot = Bytes.Of("hot");

    [Fact]
    public void FuzzyCheckpointEntryInTheStartSegmentIsReplayedOver()
    {
        using var temp = new TempDirectory("fuzzy-same-segment");
        Layout log = Layout.Write(temp.Combine("db"));

        // The checkpoint saw "hot" at its second version, written after the checkpoint's start in the same segment.
        log.WriteCheckpoint(log.HotSecond);

        log.ExpectFinalState();
    }

    [Fact] // regression: engine bug B9 (docs/kv.md)
    public void FuzzyCheckpointEntryInALaterSegmentIsReplayedOver()
    {
        using var temp = new TempDirectory("fuzzy-later-segment");
        Layout log = Layout.Write(temp.Combine("db"));

        // The checkpoint saw "hot" at its third version, in the segment after the one replay starts in;
        // replay meets the second version first (and reads the record the index holds for the key).
        log.WriteCheckpoint(log.HotThird);

        log.ExpectFinalState();
    }

    private static byte[] Filler(int i) => Bytes.Random(new Random(i), 4000);

    private static byte[] HotValue(int version) => Bytes.Of($"hot version {version}");

    private static DatabaseOptions Options() => new()
    {
        SegmentSize = SegmentSize,
        CompressionThreshold = 0,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
    };

    /// <summary>
    /// "hot" v1, fillers, "hot" v2 (segment 1), fillers, "hot" v3 (segment 2), fillers; closed, checkpoints
    /// deleted. Replay of a crafted checkpoint starts at the first record of segment 1.
    /// </summary>
    private sealed class Layout
    {
        private readonly string _path;
        private readonly List<(long Address, LogRecord Record)> _records;

        private Layout(string path)
        {
            _path = path;
            _records = [.. LogFiles.Segments(path).SelectMany(segment =>
            {
                long id = long.Parse(Path.GetFileNameWithoutExtension(segment), System.Globalization.CultureInfo.InvariantCulture);
                return LogFiles.ReadRecords(segment).Select(r => ((id * SegmentSize) + r.Offset, r));
            })];
            var hot = _records.Where(r => r.Record.Key.AsSpan().SequenceEqual(Hot)).Select(r => r.Address).ToList();
            Assert.Equal(3, hot.Count);
            Assert.Equal([0L, 1L, 2L], hot.Select(a => a / SegmentSize));
            HotSecond = hot[1];
            HotThird = hot[2];
        }

        public long HotSecond { get; }

        public long HotThird { get; }

        public static Layout Write(string path)
        {
            using (Database db = Database.Open(path, Options()))
            {
                Keyspace keyspace = db.GetOrCreateKeyspace("fuzzy");
                keyspace.Set(Hot, HotValue(1));
                for (int i = 0; i < Fillers; i++)
                {
                    keyspace.Set(Bytes.Of($"f{i:D4}"), Filler(i));
                    if (i == 300)
                    {
                        keyspace.Set(Hot, HotValue(2));
                    }
                    else if (i == 560)
                    {
                        keyspace.Set(Hot, HotValue(3));
                    }
                }
            }

            LogFiles.DeleteCheckpoints(path);
            return new Layout(path);
        }

        /// <summary>A checkpoint starting at segment 1's first record: every key at its last record, "hot" at <paramref name="hotAddress"/>.</summary>
        public void WriteCheckpoint(long hotAddress)
        {
            long from = SegmentSize + LogFiles.SegmentHeaderSize;
            var last = new Dictionary<byte[], (long, LogRecord)>(ByteOrder.Instance);
            foreach ((long address, LogRecord record) in _records)
            {
                last[record.Key] = (address, record);
            }

            (long, LogRecord) hot = _records.Single(r => r.Address == hotAddress);
            last[Hot] = hot;
            long lastSequence = _records.Where(r => r.Address < from).Max(r => r.Record.Sequence);
            LogFiles.WriteCheckpoint(_path, from, lastSequence, [.. last.Values.OrderBy(e => e.Item2.Key, ByteOrder.Instance)]);
        }

        public void ExpectFinalState()
        {
            using Database db = Database.Open(_path, Options());
            Keyspace keyspace = db.GetKeyspace("fuzzy");
            Assert.Equal(HotValue(3), keyspace.Get(Hot));
            for (int i = 0; i < Fillers; i++)
            {
                Assert.Equal(Filler(i), keyspace.Get(Bytes.Of($"f{i:D4}")));
            }

            Assert.Equal(Fillers + 1, keyspace.Count);
        }
    }
}
