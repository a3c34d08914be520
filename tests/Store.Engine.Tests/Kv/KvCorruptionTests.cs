using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Damaged files. Log damage is applied to a closed database whose checkpoints were deleted, which is
/// what a crash before the first checkpoint leaves: recovery replays, and so checks, the whole log.
/// Expected: the first bad record cuts the log; every record before it is served exactly, nothing
/// after it is; later segments move to log/quarantine/; the cut database keeps working. A file that
/// is not a Store file of this version is refused with UnsupportedFormatException, a bad checksum in
/// the catalog or a checkpoint with StoreCorruptionException.
/// </summary>
public sealed class KvCorruptionTests
{
    private const int RecordCount = 3000; // about 3.3 MiB of log: 4 segments of 1 MiB

    [Fact]
    public void TruncatedLastSegmentLosesOnlyItsTornSuffix()
    {
        // Cuts at multiples of 8 bytes, as a torn write leaves them (writes tear at page or sector boundaries).
        using var temp = new TempDirectory("truncate");
        Pristine log = Pristine.Create(temp.Combine("pristine"));
        List<LogRecord> records = log.LastSegmentRecords;
        var rng = new Random(TestMode.Seed(311));
        var offsets = new List<long>
        {
            LogFiles.SegmentHeaderSize,                         // nothing left after the header area
            records[records.Count / 2].Offset,                  // exactly at a record boundary
            records[records.Count / 2].Offset + 16,             // inside a record header
            records[records.Count / 3].Offset + LogFiles.RecordHeaderSize + 8, // inside a key
            records[^1].Offset + 8,                             // inside the last record
            4096,                                               // a page
        };
        for (int i = 0; i < TestMode.Ops(8); i++)
        {
            offsets.Add(rng.NextInt64(LogFiles.SegmentHeaderSize, log.LastSegmentLength) & ~7L);
        }

        foreach (long offset in offsets.Distinct())
        {
            string path = log.CopyTo(temp.Combine($"cut-{offset}"));
            LogFiles.Truncate(log.LastSegmentIn(path), offset);
            int survivors = log.RecordsBeforeLastSegment + records.Count(r => r.End <= offset);
            string context = $"last segment truncated to {offset} bytes (expect {survivors} records)";

            RecordDataSet.Expect(path, RecordCount, i => i < survivors, context);
            ExpectItKeepsWorking(path, i => i < survivors, context);
        }
    }

    [Fact] // regression: engine bug B7 (docs/kv.md)
    public void LastSegmentCutAtAnUnalignedLengthKeepsLaterWrites()
    {
        using var temp = new TempDirectory("truncate-unaligned");
        Pristine log = Pristine.Create(temp.Combine("pristine"));
        LogRecord padded = log.LastSegmentRecords.Last(r => r.Length % 8 != 0);
        int before = log.RecordsBeforeLastSegment + log.LastSegmentRecords.IndexOf(padded) + 1;
        foreach ((long offset, int survivors) in new[]
        {
            (padded.End + ((8 - (padded.Length % 8)) / 2), before),            // inside the padding of a complete record
            (LogFiles.FileHeaderSize + 8, log.RecordsBeforeLastSegment),     // inside the 64-byte header area
        })
        {
            string path = log.CopyTo(temp.Combine($"cut-{offset}"));
            LogFiles.Truncate(log.LastSegmentIn(path), offset);
            string context = $"last segment truncated to {offset} bytes (expect {survivors} records)";

            RecordDataSet.Expect(path, RecordCount, i => i < survivors, context);
            ExpectItKeepsWorking(path, i => i < survivors, context);
        }
    }

    [Fact]
    public void LastSegmentShorterThanItsHeaderIsDropped()
    {
        using var temp = new TempDirectory("truncate-header");
        Pristine log = Pristine.Create(temp.Combine("pristine"));
        foreach (long offset in new long[] { 0, 1, LogFiles.FileHeaderSize - 1 })
        {
            string path = log.CopyTo(temp.Combine($"cut-{offset}"));
            LogFiles.Truncate(log.LastSegmentIn(path), offset);
            string context = $"last segment truncated to {offset} bytes";

            RecordDataSet.Expect(path, RecordCount, i => i < log.RecordsBeforeLastSegment, context);
            ExpectItKeepsWorking(path, i => i < log.RecordsBeforeLastSegment, context);
        }
    }

    [Fact]
    public void FlippedBytesInTheLastSegmentCutTheLogAtThatRecord()
    {
        using var temp = new TempDirectory("flip-last");
        Pristine log = Pristine.Create(temp.Combine("pristine"));
        var rng = new Random(TestMode.Seed(313));
        for (int trial = 0; trial < TestMode.Ops(6); trial++)
        {
            int index = trial == 0 ? 0 : trial == 1 ? log.LastSegmentRecords.Count - 1 : rng.Next(log.LastSegmentRecords.Count);
            LogRecord victim = log.LastSegmentRecords[index];
            string path = log.CopyTo(temp.Combine($"flip-{trial}"));
            string segment = log.LastSegmentIn(path);
            FlipInside(segment, victim, rng, out string flipped);
            int survivors = log.RecordsBeforeLastSegment + index;
            string context = $"{flipped} of record {index} of the last segment";

            RecordDataSet.Expect(path, RecordCount, i => i < survivors, context);
            Assert.Equal(victim.Offset, new FileInfo(segment).Length);
            Assert.False(Directory.Exists(LogFiles.QuarantineDirectory(path)), $"{context}: nothing after the last segment to quarantine");
            ExpectItKeepsWorking(path, i => i < survivors, context);
        }
    }

    [Fact]
    public void FlippedByteInASealedSegmentCutsTheLogAndQuarantinesLaterSegments()
    {
        using var temp = new TempDirectory("flip-sealed");
        Pristine log = Pristine.Create(temp.Combine("pristine"));
        Assert.True(log.Segments.Length >= 3, $"the data set should span at least 3 segments, has {log.Segments.Length}");
        var rng = new Random(TestMode.Seed(317));
        for (int trial = 0; trial < TestMode.Ops(3); trial++)
        {
            int segmentIndex = 1 + rng.Next(log.Segments.Length - 2); // neither the first nor the last
            List<LogRecord> records = LogFiles.ReadRecords(log.Segments[segmentIndex]);
            int index = rng.Next(records.Count);
            string path = log.CopyTo(temp.Combine($"flip-{trial}"));
            string segment = Path.Combine(LogFiles.LogDirectory(path), Path.GetFileName(log.Segments[segmentIndex]));
            FlipInside(segment, records[index], rng, out string flipped);
            int survivors = log.Segments[..segmentIndex].Sum(s => LogFiles.ReadRecords(s).Count) + index;
            string context = $"{flipped} of record {index} of sealed segment {segmentIndex}";

            RecordDataSet.Expect(path, RecordCount, i => i < survivors, context);
            Assert.Equal(records[index].Offset, new FileInfo(segment).Length);
            string[] quarantined = [.. Directory.GetFiles(LogFiles.QuarantineDirectory(path)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.Equal(log.Segments[(segmentIndex + 1)..].Select(Path.GetFileName), quarantined);
            Assert.Equal(log.Segments[..(segmentIndex + 1)].Select(Path.GetFileName), LogFiles.Segments(path).Select(Path.GetFileName));

            // Over a megabyte more: the cut segment fills up and the log rolls into segment ids the quarantine also holds.
            ExpectItKeepsWorking(path, i => i < survivors, context, extra: 1200);
        }
    }

    [Fact]
    public void FlippedByteInACheckpointedSealedSegmentIsDetectedWhenRead()
    {
        using var temp = new TempDirectory("flip-sealed-checkpointed");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, RecordCount);
        string segment = LogFiles.Segments(path)[1];
        List<LogRecord> records = LogFiles.ReadRecords(segment);
        LogRecord victim = records[records.Count / 2];
        int victimKey = Array.FindIndex(Enumerable.Range(0, RecordCount).ToArray(), i => RecordDataSet.Key(i).AsSpan().SequenceEqual(victim.Key));
        LogFiles.FlipByte(segment, victim.End - 1);

        // The checkpoint covers the segment, so open does not read it; a read of the damaged record must not return it.
        using Database db = Database.Open(path, RecordDataSet.Options());
        Keyspace keyspace = db.GetKeyspace(RecordDataSet.KeyspaceName);
        var error = Assert.Throws<StoreCorruptionException>(() => keyspace.Get(RecordDataSet.Key(victimKey)));
        Assert.Equal(segment, error.FilePath);
        Assert.Equal(victim.Offset, error.Offset);
        for (int i = 0; i < RecordCount; i++)
        {
            if (i != victimKey)
            {
                Assert.Equal(RecordDataSet.Value(i), keyspace.Get(RecordDataSet.Key(i)));
            }
        }
    }

    [Fact] // regression: engine bug B2 (docs/kv.md)
    public void FlippedByteInACheckpointedLastSegmentIsNeverServed()
    {
        using var temp = new TempDirectory("flip-last-checkpointed");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, RecordCount);
        string segment = LogFiles.Segments(path)[^1];
        LogRecord victim = LogFiles.ReadRecords(segment)[5];
        LogFiles.FlipByte(segment, victim.End - 1, 0x01);

        ExpectNoWrongValue(path, "a value byte flipped in the checkpointed last segment");
    }

    [Fact] // regression: engine bug B2 (docs/kv.md)
    public void TruncatedCheckpointedLastSegmentIsNeverServed()
    {
        using var temp = new TempDirectory("truncate-checkpointed");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, RecordCount);
        string segment = LogFiles.Segments(path)[^1];
        List<LogRecord> records = LogFiles.ReadRecords(segment);
        LogFiles.Truncate(segment, records[records.Count / 2].Offset + 10);

        ExpectNoWrongValue(path, "the checkpointed last segment truncated");
    }

    [Fact]
    public void SegmentWithWrongMagicIsRefused()
    {
        using var temp = new TempDirectory("segment-magic");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 100);
        string segment = LogFiles.Segments(path)[0];
        LogFiles.OverwriteHeader(segment, LogFiles.FileHeader("NOTASEG!", 1, 0));

        var error = Assert.Throws<UnsupportedFormatException>(() => Database.Open(path, RecordDataSet.Options()));
        Assert.Equal(segment, error.FilePath);
        Assert.Contains("STORELOG", error.Message, StringComparison.Ordinal);
        Assert.Contains("NOTASEG!", error.Message, StringComparison.Ordinal);
        ExpectOpensAfterRepair(path, segment, LogFiles.FileHeader("STORELOG", 1, 0));
    }

    [Fact]
    public void SegmentOfAnotherFormatVersionIsRefused()
    {
        using var temp = new TempDirectory("segment-version");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 100);
        string segment = LogFiles.Segments(path)[0];
        LogFiles.OverwriteHeader(segment, LogFiles.FileHeader("STORELOG", 99, 0));

        var error = Assert.Throws<UnsupportedFormatException>(() => Database.Open(path, RecordDataSet.Options()));
        Assert.Equal(segment, error.FilePath);
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        ExpectOpensAfterRepair(path, segment, LogFiles.FileHeader("STORELOG", 1, 0));
    }

    [Fact]
    public void SegmentHeaderWithBadChecksumOrWrongIdIsCorrupt()
    {
        using var temp = new TempDirectory("segment-header");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 100);
        string segment = LogFiles.Segments(path)[0];
        byte[] good = LogFiles.FileHeader("STORELOG", 1, 0);

        byte[] badChecksum = [.. good];
        badChecksum[20] ^= 0x10;
        LogFiles.OverwriteHeader(segment, badChecksum);
        Assert.Equal(segment, Assert.Throws<StoreCorruptionException>(() => Database.Open(path, RecordDataSet.Options())).FilePath);

        LogFiles.OverwriteHeader(segment, LogFiles.FileHeader("STORELOG", 1, 7)); // the header names segment 7, the file 0
        Assert.Equal(segment, Assert.Throws<StoreCorruptionException>(() => Database.Open(path, RecordDataSet.Options())).FilePath);
        ExpectOpensAfterRepair(path, segment, good);
    }

    [Fact] // regression: engine bug B1 (docs/kv.md)
    public void CatalogWithWrongMagicIsRefused()
    {
        using var temp = new TempDirectory("catalog-magic");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 10);
        string catalog = Path.Combine(path, "CATALOG");
        byte[] original = File.ReadAllBytes(catalog);
        LogFiles.OverwriteHeader(catalog, LogFiles.FileHeader("NOTACAT!", 1, BitConverter.ToUInt64(original, 16)));

        var error = Assert.Throws<UnsupportedFormatException>(() => Database.Open(path, RecordDataSet.Options()));
        Assert.Equal(catalog, error.FilePath);
        ExpectOpensAfterRepair(path, catalog, original[..LogFiles.FileHeaderSize]);
    }

    [Fact] // regression: engine bug B1 (docs/kv.md)
    public void CatalogOfAnotherFormatVersionIsRefusedNamingTheVersion()
    {
        using var temp = new TempDirectory("catalog-version");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 10);
        string catalog = Path.Combine(path, "CATALOG");
        byte[] original = File.ReadAllBytes(catalog);
        LogFiles.OverwriteHeader(catalog, LogFiles.FileHeader("STORECAT", 99, BitConverter.ToUInt64(original, 16)));

        var error = Assert.Throws<UnsupportedFormatException>(() => Database.Open(path, RecordDataSet.Options()));
        Assert.Equal(catalog, error.FilePath);
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        ExpectOpensAfterRepair(path, catalog, original[..LogFiles.FileHeaderSize]);
    }

    [Fact] // regression: engine bug B1 (docs/kv.md)
    public void CatalogWithBadChecksumIsCorrupt()
    {
        using var temp = new TempDirectory("catalog-checksum");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 10);
        string catalog = Path.Combine(path, "CATALOG");
        LogFiles.FlipByte(catalog, LogFiles.FileHeaderSize + 6); // inside the keyspace name

        Assert.Equal(catalog, Assert.Throws<StoreCorruptionException>(() => Database.Open(path, RecordDataSet.Options())).FilePath);
        LogFiles.FlipByte(catalog, LogFiles.FileHeaderSize + 6);
        RecordDataSet.Expect(path, 10, _ => true, "catalog repaired");
    }

    [Fact] // regression: engine bug B1 (docs/kv.md)
    public void CheckpointWithAFlippedByteIsCorrupt()
    {
        // The engine keeps only the newest checkpoint and does not fall back to replaying the whole log.
        using var temp = new TempDirectory("checkpoint-flip");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 200);
        string checkpoint = Assert.Single(Directory.GetFiles(LogFiles.CheckpointDirectory(path)));
        long offset = LogFiles.FileHeaderSize + 8 + 100; // inside an entry
        LogFiles.FlipByte(checkpoint, offset);

        Assert.Equal(checkpoint, Assert.Throws<StoreCorruptionException>(() => Database.Open(path, RecordDataSet.Options())).FilePath);
        LogFiles.FlipByte(checkpoint, offset);
        RecordDataSet.Expect(path, 200, _ => true, "checkpoint repaired");
    }

    [Fact] // regression: engine bug B1 (docs/kv.md)
    public void CheckpointOfAnotherFormatVersionIsRefused()
    {
        using var temp = new TempDirectory("checkpoint-version");
        string path = temp.Combine("db");
        RecordDataSet.Write(path, 0, 200);
        string checkpoint = Assert.Single(Directory.GetFiles(LogFiles.CheckpointDirectory(path)));
        byte[] original = File.ReadAllBytes(checkpoint)[..LogFiles.FileHeaderSize];
        LogFiles.OverwriteHeader(checkpoint, LogFiles.FileHeader("STORECKP", 99, BitConverter.ToUInt64(original, 16)));

        var error = Assert.Throws<UnsupportedFormatException>(() => Database.Open(path, RecordDataSet.Options()));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        ExpectOpensAfterRepair(path, checkpoint, original);
    }

    /// <summary>Flips 1..3 random bytes inside a record's bytes (never its padding, which no checksum covers).</summary>
    private static void FlipInside(string segment, LogRecord record, Random rng, out string description)
    {
        var offsets = new List<long>();
        for (int n = rng.Next(1, 4); n > 0; n--)
        {
            long offset = record.Offset + rng.Next(record.Length);
            LogFiles.FlipByte(segment, offset, (byte)rng.Next(1, 256));
            offsets.Add(offset - record.Offset);
        }

        description = $"bytes flipped at [{string.Join(", ", offsets)}]";
    }

    /// <summary>The database opens, accepts more writes and, reopened after a crash-like close (no checkpoint), still has everything.</summary>
    private static void ExpectItKeepsWorking(string path, Func<int, bool> survived, string context, int extra = 50)
    {
        RecordDataSet.Write(path, RecordCount, extra);
        LogFiles.DeleteCheckpoints(path);
        RecordDataSet.Expect(path, RecordCount + extra, i => i >= RecordCount || survived(i), $"{context}, then {extra} more writes and a reopen");
    }

    private static void ExpectOpensAfterRepair(string path, string file, byte[] header)
    {
        LogFiles.OverwriteHeader(file, header);
        using Database db = Database.Open(path, RecordDataSet.Options());
        Assert.True(db.GetKeyspace(RecordDataSet.KeyspaceName).Count > 0);
    }

    /// <summary>Damage must be reported (at open or on read) or cost data; it must never come back as a wrong value.</summary>
    private static void ExpectNoWrongValue(string path, string context)
    {
        Database db;
        try
        {
            db = Database.Open(path, RecordDataSet.Options());
        }
        catch (StoreCorruptionException)
        {
            return;
        }

        using (db)
        {
            Keyspace keyspace = db.GetKeyspace(RecordDataSet.KeyspaceName);
            for (int i = 0; i < RecordCount; i++)
            {
                byte[]? value;
                try
                {
                    value = keyspace.Get(RecordDataSet.Key(i));
                }
                catch (StoreCorruptionException)
                {
                    continue;
                }

                Assert.True(value is null || value.AsSpan().SequenceEqual(RecordDataSet.Value(i)), $"{context}: key {i} reads as {Bytes.Show(value)}");
            }
        }
    }

    /// <summary>A closed database of <see cref="RecordCount"/> records with its checkpoints deleted, and its log's layout.</summary>
    private sealed class Pristine
    {
        private Pristine(string path)
        {
            Path = path;
            Segments = LogFiles.Segments(path);
            LastSegmentRecords = LogFiles.ReadRecords(Segments[^1]);
            LastSegmentLength = new FileInfo(Segments[^1]).Length;
            RecordsBeforeLastSegment = Segments[..^1].Sum(s => LogFiles.ReadRecords(s).Count);
            Assert.Equal(RecordCount, RecordsBeforeLastSegment + LastSegmentRecords.Count);
            Assert.True(LastSegmentRecords.Count > 20, "the last segment should hold records");
        }

        public string Path { get; }

        public string[] Segments { get; }

        public List<LogRecord> LastSegmentRecords { get; }

        public long LastSegmentLength { get; }

        public int RecordsBeforeLastSegment { get; }

        public static Pristine Create(string path)
        {
            RecordDataSet.Write(path, 0, RecordCount);
            LogFiles.DeleteCheckpoints(path);
            return new Pristine(path);
        }

        public string CopyTo(string path)
        {
            LogFiles.CopyDirectory(Path, path);
            return path;
        }

        public string LastSegmentIn(string path) => System.IO.Path.Combine(LogFiles.LogDirectory(path), System.IO.Path.GetFileName(Segments[^1]));
    }
}
