using System.Buffers;
using System.Globalization;
using System.Text;
using Store.Kv;
using Xunit.Sdk;

namespace Store.Tests.Kv;

/// <summary>
/// One seeded model run: random operations on two keyspaces of a database with a manual clock,
/// each result compared with <see cref="KvModel"/>. Expired keys must never be returned, conditions
/// must be honoured, and every write must get a version above all earlier ones. Now and then the
/// database is closed and reopened (the state must survive exactly), compacted, checkpointed, or
/// swept for expired keys. A failure names the seed, the operation and the last operations.
/// With <c>replayWholeLog</c> the run never compacts (explicitly, and the trigger is set as high as it
/// goes) and deletes the checkpoint at half of its reopens while the log is still whole, so recovery
/// replays the entire log, as after a crash before the first checkpoint.
/// </summary>
internal sealed class KvModelRun : IDisposable
{
    private const int RecentCount = 40;
    private static readonly string[] SpaceNames = ["main", "other"];
    private readonly int _seed;
    private readonly Random _rng;
    private readonly ManualTimeProvider _clock = new();
    private readonly TempDirectory _temp = new("model");
    private readonly string _path;
    private readonly DatabaseOptions _options;
    private readonly byte[][] _keys;
    private readonly KvModel[] _models = [new(), new()];
    private readonly Keyspace[] _spaces = new Keyspace[SpaceNames.Length];
    private readonly Queue<string> _recent = new();
    private readonly bool _replayWholeLog;
    private Database _db;
    private long _maxVersion;
    private int _op;
    private int _space;

    public KvModelRun(int seed, Durability durability, int compressionThreshold, bool replayWholeLog = false)
    {
        _seed = seed;
        _replayWholeLog = replayWholeLog;
        _rng = new Random(seed);
        _path = _temp.Combine("db");
        _options = new DatabaseOptions
        {
            Durability = durability,
            SegmentSize = 1 << 20,
            CompressionThreshold = compressionThreshold,
            CompactionTrigger = replayWholeLog ? 10 : 1.5,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
            TimeProvider = _clock,
        };
        _keys = MakeKeys(_rng);
        _db = Database.Open(_path, _options);
        AttachKeyspaces();
    }

    /// <summary>Counts of what the run did, for the test output.</summary>
    public Dictionary<string, int> Counts { get; } = [];

    private long Now => _clock.UnixMs;

    private KvModel Model => _models[_space];

    private Keyspace Space => _spaces[_space];

    public void Run(int operations)
    {
        for (_op = 0; _op < operations; _op++)
        {
            _space = _rng.Next(10) < 8 ? 0 : 1;
            int pick = _rng.Next(1000);
            try
            {
                Action step = pick switch
                {
                    < 320 => DoSet,
                    < 440 => DoGet,
                    < 480 => DoInfo,
                    < 560 => DoDelete,
                    < 630 => DoIncrement,
                    < 680 => DoExpire,
                    < 705 => DoPersist,
                    < 765 => DoScan,
                    < 795 => DoScanFromOrPrefix,
                    < 835 => DoScanPage,
                    < 855 => DoMultiGet,
                    < 875 => DoMultiSet,
                    < 960 => DoAdvance,
                    < 970 => DoSweep,
                    < 977 => _replayWholeLog ? DoCheckpoint : DoCompact,
                    < 984 => DoCheckpoint,
                    < 988 => DoReopen,
                    _ => DoSet,
                };
                step();
                Counts[step.Method.Name] = Counts.GetValueOrDefault(step.Method.Name) + 1;
            }
            catch (Exception e) when (e is not XunitException)
            {
                throw Fail($"unexpected exception: {e}");
            }
        }

        DoReopen();
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private static byte[][] MakeKeys(Random rng)
    {
        var keys = new HashSet<byte[]>(ByteOrder.Instance);
        byte[] alphabet = [0x00, 0x01, (byte)'a', (byte)'b', 0x7F, 0xFE, 0xFF];
        while (keys.Count < 50)
        {
            byte[] key = new byte[rng.Next(1, 4)];
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = alphabet[rng.Next(alphabet.Length)];
            }

            keys.Add(key);
        }

        for (int i = 0; i < 30; i++)
        {
            keys.Add(Bytes.Of($"user:{rng.Next(100):D3}"));
        }

        for (int i = 0; i < 6; i++)
        {
            keys.Add(Bytes.Random(rng, rng.Next(100, 1200)));
        }

        // One below DatabaseOptions.MaxKeyLength's default (4096); KvBadInputTests covers keys of exactly the limit (bug B8).
        byte[] longest = new byte[4095];
        longest.AsSpan().Fill((byte)'z');
        keys.Add(longest);
        return [.. keys];
    }

    private void AttachKeyspaces()
    {
        for (int i = 0; i < SpaceNames.Length; i++)
        {
            _spaces[i] = _db.GetOrCreateKeyspace(SpaceNames[i]);
        }
    }

    private byte[] PickKey() => _keys[_rng.Next(_keys.Length)];

    /// <summary>A range bound: a universe key, a prefix or extension of one, the empty key, or random bytes.</summary>
    private byte[] PickBound() => _rng.Next(6) switch
    {
        0 => [],
        1 => Bytes.Random(_rng, _rng.Next(1, 3)),
        2 => PickKey() is { Length: > 1 } k ? k[..^1] : PickKey(),
        3 => [.. PickKey(), 0x00],
        _ => PickKey(),
    };

    private (byte[] From, byte[] To) PickRange()
    {
        byte[] a = PickBound();
        byte[] b = PickBound();
        return ByteOrder.Instance.Compare(a, b) <= 0 ? (a, b) : (b, a);
    }

    /// <summary>Integers (for Increment), empty values, small to large random values, compressible ones.</summary>
    private byte[] NewValue()
    {
        int kind = _rng.Next(100);
        if (kind < 10)
        {
            return Bytes.Of(_rng.NextInt64(-1_000_000, 1_000_000).ToString(CultureInfo.InvariantCulture));
        }

        if (kind < 14)
        {
            return [];
        }

        int length = kind switch
        {
            < 60 => _rng.Next(1, 100),
            < 82 => _rng.Next(100, 1000),
            < 95 => _rng.Next(1024, 6000),
            _ => _rng.Next(20_000, 70_000),
        };
        byte[] value = kind is >= 82 and < 95 && _rng.Next(2) == 0
            ? Bytes.Compressible(length, (byte)_rng.Next(256))
            : Bytes.Random(_rng, length);
        value[0] = (byte)'v'; // never a decimal integer
        return value;
    }

    private TimeSpan? NewTtl() => _rng.Next(10) switch
    {
        < 5 => null,
        5 => TimeSpan.FromTicks(_rng.Next(1, 30_000)), // sub-millisecond to 3 ms: rounds up to whole ms
        _ => TimeSpan.FromMilliseconds(_rng.Next(1, 4000)) + TimeSpan.FromTicks(_rng.Next(0, 10_000)),
    };

    /// <summary>The engine's expiry: now plus the TTL rounded up to whole milliseconds (at least 1).</summary>
    private long ExpiryFor(TimeSpan? ttl) =>
        ttl is { } t ? Now + Math.Max(1, (t.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond) : 0;

    private static bool IsInteger(byte[] value, out long parsed)
    {
        parsed = 0;
        return value.Length is > 0 and <= 32
            && long.TryParse(Encoding.ASCII.GetString(value), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out parsed);
    }

    private void DoSet()
    {
        byte[] key = PickKey();
        byte[] value = NewValue();
        TimeSpan? ttl = NewTtl();
        bool live = Model.TryGetLive(key, Now, out ModelEntry current);
        var condition = (WriteCondition)_rng.Next(4);
        long expected = condition == WriteCondition.IfVersion
            ? _rng.Next(3) switch
            {
                0 => current.Version + 1 + _rng.Next(3),
                1 when !live => _maxVersion - _rng.Next(5), // perhaps the version of an expired entry
                _ => current.Version,
            }
            : 0;
        bool allowed = condition switch
        {
            WriteCondition.IfAbsent => !live,
            WriteCondition.IfPresent => live,
            WriteCondition.IfVersion => live && current.Version == expected,
            _ => true,
        };
        Note($"Set {Show(key)} = {Bytes.Show(value)} ttl {ttl} {condition} {expected} (live {live}, allowed {allowed})");
        WriteResult result = Space.Set(key, value, new WriteOptions { Ttl = ttl, Condition = condition, ExpectedVersion = expected });
        if (!allowed)
        {
            Expect(result == new WriteResult(WriteStatus.ConditionFailed, 0), () => $"expected ConditionFailed, got {result}");
            return;
        }

        Expect(result.Written && result.Version > _maxVersion, () => $"expected Written with a version above {_maxVersion}, got {result}");
        _maxVersion = result.Version;
        Model.Put(key, new ModelEntry(value, result.Version, ExpiryFor(ttl)));
    }

    private void DoGet()
    {
        byte[] key = PickKey();
        bool live = Model.TryGetLive(key, Now, out ModelEntry entry);
        Note($"Get {Show(key)} (live {live})");
        if (_rng.Next(2) == 0)
        {
            byte[]? got = Space.Get(key);
            ExpectValue(live ? entry.Value : null, got, "Get");
            return;
        }

        // TryGet appends to whatever the writer already holds.
        var writer = new ArrayBufferWriter<byte>();
        writer.Write("pre"u8);
        bool found = Space.TryGet(key, writer, out EntryInfo info);
        Expect(found == live, () => $"TryGet returned {found}, model live {live}");
        if (live)
        {
            ExpectValue(entry.Value, writer.WrittenSpan[3..].ToArray(), "TryGet");
            ExpectInfo(entry, info, "TryGet");
        }
        else
        {
            Expect(writer.WrittenCount == 3 && info == default, () => $"TryGet of an absent key wrote {writer.WrittenCount - 3} bytes, info {info}");
        }
    }

    private void DoInfo()
    {
        byte[] key = PickKey();
        bool live = Model.TryGetLive(key, Now, out ModelEntry entry);
        Note($"Info {Show(key)} (live {live})");
        bool found = Space.TryGetInfo(key, out EntryInfo info);
        Expect(found == live, () => $"TryGetInfo returned {found}, model live {live}");
        if (live)
        {
            ExpectInfo(entry, info, "TryGetInfo");
        }

        bool hasTtl = Space.TryGetTimeToLive(key, out TimeSpan? ttl);
        TimeSpan? expectedTtl = live && entry.ExpiresAtMs != 0 ? TimeSpan.FromMilliseconds(entry.ExpiresAtMs - Now) : null;
        Expect(hasTtl == live && ttl == expectedTtl, () => $"TryGetTimeToLive gave ({hasTtl}, {ttl}), expected ({live}, {expectedTtl})");
    }

    private void DoDelete()
    {
        byte[] key = PickKey();
        bool live = Model.TryGetLive(key, Now, out _);
        Note($"Delete {Show(key)} (live {live})");
        bool deleted = Space.Delete(key);
        Expect(deleted == live, () => $"Delete returned {deleted}, model live {live}");
        Model.Remove(key);
    }

    private void DoIncrement()
    {
        byte[] key = PickKey();
        long delta = _rng.Next(-1000, 1001);
        TimeSpan? ttl = NewTtl();
        bool live = Model.TryGetLive(key, Now, out ModelEntry entry);
        Note($"Increment {Show(key)} by {delta} ttl {ttl} (live {live}, value {(live ? Bytes.Show(entry.Value) : "-")})");
        long current = 0;
        if (live && !IsInteger(entry.Value, out current))
        {
            Assert.Throws<ValueNotIntegerException>(() => Space.Increment(key, delta, new WriteOptions { Ttl = ttl }));
            ExpectValue(entry.Value, Space.Get(key), "Get after a failed Increment");
            Expect(Space.TryGetInfo(key, out EntryInfo after) && after.Version == entry.Version, () => "a failed Increment changed the version");
            return;
        }

        long result = Space.Increment(key, delta, new WriteOptions { Ttl = ttl });
        Expect(result == current + delta, () => $"Increment returned {result}, expected {current + delta}");
        long expiry = live ? entry.ExpiresAtMs : ExpiryFor(ttl);
        TakeNewVersion(key, Bytes.Of(result.ToString(CultureInfo.InvariantCulture)), expiry, "Increment");
    }

    private void DoExpire()
    {
        byte[] key = PickKey();
        TimeSpan ttl = NewTtl() ?? TimeSpan.FromMilliseconds(_rng.Next(1, 5000));
        bool live = Model.TryGetLive(key, Now, out ModelEntry entry);
        Note($"Expire {Show(key)} in {ttl} (live {live})");
        bool done = Space.Expire(key, ttl);
        Expect(done == live, () => $"Expire returned {done}, model live {live}");
        if (live)
        {
            TakeNewVersion(key, entry.Value, ExpiryFor(ttl), "Expire");
        }
    }

    private void DoPersist()
    {
        byte[] key = PickKey();
        bool live = Model.TryGetLive(key, Now, out ModelEntry entry);
        Note($"Persist {Show(key)} (live {live})");
        bool done = Space.Persist(key);
        Expect(done == live, () => $"Persist returned {done}, model live {live}");
        if (live)
        {
            TakeNewVersion(key, entry.Value, 0, "Persist");
        }
    }

    private void DoScan()
    {
        (byte[] from, byte[] to) = PickRange();
        long limit = _rng.Next(4) == 0 ? _rng.Next(0, 6) : long.MaxValue;
        int stopAfter = _rng.Next(5) == 0 ? _rng.Next(1, 5) : int.MaxValue;
        Note($"Scan [{Show(from)}, {Show(to)}) limit {limit} stop after {stopAfter}");
        var expected = Model.LiveRange(from, to, Now);
        var got = new List<KeyValuePair<byte[], byte[]>>();
        long visited = Space.Scan(from, to, Collector(got, stopAfter), limit);
        ExpectEntries(expected.Take((int)Math.Min(Math.Min(limit, stopAfter), int.MaxValue)), got, visited, "Scan");
    }

    private void DoScanFromOrPrefix()
    {
        var got = new List<KeyValuePair<byte[], byte[]>>();
        if (_rng.Next(2) == 0)
        {
            byte[] from = PickBound();
            Note($"ScanFrom {Show(from)}");
            long visited = Space.ScanFrom(from, Collector(got, int.MaxValue));
            ExpectEntries(Model.LiveRange(from, null, Now), got, visited, "ScanFrom");
        }
        else
        {
            byte[] prefix = _rng.Next(5) == 0 ? [0xFF] : PickBound();
            Note($"ScanPrefix {Show(prefix)}");
            long visited = Space.ScanPrefix(prefix, Collector(got, int.MaxValue));
            ExpectEntries(Model.LivePrefix(prefix, Now), got, visited, "ScanPrefix");
        }
    }

    private void DoScanPage()
    {
        (byte[] from, byte[] to) = PickRange();
        byte[]? end = _rng.Next(3) == 0 ? null : to;
        int limit = _rng.Next(1, 9);
        Note($"ScanPage [{Show(from)}, {(end is null ? "end" : Show(end))}) pages of {limit}");
        var all = new List<KeyValuePair<byte[], byte[]>>();
        byte[]? cursor = null;
        int pages = 0;
        do
        {
            ScanPage page = Space.ScanPage(from, end, limit, cursor);
            Expect(page.Items.Count <= limit, () => $"a page of {page.Items.Count} items exceeds its limit {limit}");
            if (page.NextCursor is not null)
            {
                Expect(page.Items.Count == limit && ByteOrder.Instance.Equals(page.NextCursor, page.Items[^1].Key),
                    () => $"page {pages}: NextCursor {Bytes.Show(page.NextCursor)} is not the last key of a full page ({page.Items.Count} items)");
            }

            all.AddRange(page.Items);
            cursor = page.NextCursor;
            Expect(++pages < 100_000, () => "ScanPage never ends");
        }
        while (cursor is not null);
        ExpectEntries(Model.LiveRange(from, end, Now), all, all.Count, "ScanPage");
    }

    private void DoMultiGet()
    {
        byte[][] keys = [.. Enumerable.Range(0, _rng.Next(0, 7)).Select(_ => PickKey())];
        Note($"MultiGet {keys.Length} keys");
        var values = new byte[]?[keys.Length + _rng.Next(0, 3)];
        Space.MultiGet(keys, values);
        for (int i = 0; i < values.Length; i++)
        {
            byte[]? expected = i < keys.Length && Model.TryGetLive(keys[i], Now, out ModelEntry e) ? e.Value : null;
            ExpectValue(expected, values[i], $"MultiGet slot {i}");
        }
    }

    private void DoMultiSet()
    {
        var items = Enumerable.Range(0, _rng.Next(1, 6)).Select(_ => new KeyValuePair<byte[], byte[]>(PickKey(), NewValue())).ToList();
        TimeSpan? ttl = NewTtl();
        Note($"MultiSet {items.Count} items ttl {ttl}: {string.Join(", ", items.Select(i => Show(i.Key)))}");
        long before = _maxVersion;
        Space.MultiSet(items, new WriteOptions { Ttl = ttl });
        var versions = new HashSet<long>();
        foreach (KeyValuePair<byte[], byte[]> last in items.GroupBy(i => i.Key, ByteOrder.Instance).Select(g => g.Last()))
        {
            Expect(Space.TryGetInfo(last.Key, out EntryInfo info) && info.Version > before && versions.Add(info.Version),
                () => $"MultiSet: {Show(last.Key)} has version {info.Version}, not a new one above {before}");
            Expect(info.ExpiresAtUnixMs == ExpiryFor(ttl), () => $"MultiSet: expiry {info.ExpiresAtUnixMs}, expected {ExpiryFor(ttl)}");
            _maxVersion = Math.Max(_maxVersion, info.Version);
            Model.Put(last.Key, new ModelEntry(last.Value, info.Version, info.ExpiresAtUnixMs));
        }
    }

    private void DoAdvance()
    {
        TimeSpan by = _rng.Next(10) switch
        {
            < 5 => TimeSpan.FromMilliseconds(_rng.Next(0, 50)),
            < 9 => TimeSpan.FromMilliseconds(_rng.Next(50, 1500)),
            _ => TimeSpan.FromMilliseconds(_rng.Next(3000, 10_000)),
        };
        Note($"Advance {by.TotalMilliseconds} ms");
        _clock.Advance(by);
    }

    private void DoSweep()
    {
        Note("SweepExpired");
        _db.SweepExpired();
        ExpectCounts("after SweepExpired");
    }

    private void DoCompact()
    {
        Note("Compact");
        int removed = _db.Compact();
        Counts["segments compacted"] = Counts.GetValueOrDefault("segments compacted") + removed;
        (long logBytes, long liveBytes) = _db.Usage;
        Expect(liveBytes >= 0 && liveBytes <= logBytes, () => $"Usage after Compact: log {logBytes}, live {liveBytes}");
        VerifyAll("after Compact");
    }

    private void DoCheckpoint()
    {
        Note("Checkpoint");
        _db.Checkpoint();
    }

    private void DoReopen()
    {
        Note("Reopen");
        _db.Dispose();
        if (_replayWholeLog && _rng.Next(2) == 0 && LogIsWhole())
        {
            Note("(checkpoint deleted: replay of the whole log)");
            LogFiles.DeleteCheckpoints(_path);
            Counts["whole-log replays"] = Counts.GetValueOrDefault("whole-log replays") + 1;
        }

        _db = Database.Open(_path, _options);
        Expect(SpaceNames.All(_db.Keyspaces.Contains), () => $"keyspaces after reopen: {string.Join(", ", _db.Keyspaces)}");
        AttachKeyspaces();
        ExpectCounts("after reopen"); // recovery drops expired records
        VerifyAll("after reopen");
    }

    /// <summary>
    /// True while no compaction ever removed a segment (ids 0..n-1 all there): only then does the
    /// log alone hold the state, tombstones included. A crash cannot lose the checkpoint otherwise.
    /// </summary>
    private bool LogIsWhole()
    {
        string[] segments = LogFiles.Segments(_path);
        return segments.Select((s, i) => long.Parse(Path.GetFileNameWithoutExtension(s), CultureInfo.InvariantCulture) == i).All(x => x);
    }

    /// <summary>Reads back the version the engine gave a write that does not return one.</summary>
    private void TakeNewVersion(byte[] key, byte[] value, long expiry, string what)
    {
        Expect(Space.TryGetInfo(key, out EntryInfo info), () => $"{what}: the key is gone right after it");
        Expect(info.Version > _maxVersion, () => $"{what}: version {info.Version} is not above {_maxVersion}");
        Expect(info.ExpiresAtUnixMs == expiry, () => $"{what}: expiry {info.ExpiresAtUnixMs}, expected {expiry}");
        _maxVersion = info.Version;
        Model.Put(key, new ModelEntry(value, info.Version, expiry));
    }

    private void ExpectCounts(string when)
    {
        for (int i = 0; i < _spaces.Length; i++)
        {
            long count = _spaces[i].Count;
            int live = _models[i].LiveCount(Now);
            Expect(count == live, () => $"{when}: keyspace {SpaceNames[i]} Count is {count}, the model has {live} live keys");
            _models[i].DropExpired(Now);
        }
    }

    private void VerifyAll(string when)
    {
        int saved = _space;
        for (_space = 0; _space < _spaces.Length; _space++)
        {
            var got = new List<KeyValuePair<byte[], byte[]>>();
            long visited = Space.ScanFrom([], Collector(got, int.MaxValue));
            ExpectEntries(Model.LiveRange([], null, Now), got, visited, $"full scan of {SpaceNames[_space]} {when}");
            foreach (KeyValuePair<byte[], ModelEntry> entry in Model.LiveRange([], null, Now))
            {
                Expect(Space.TryGetInfo(entry.Key, out EntryInfo info), () => $"{when}: {Show(entry.Key)} has no info");
                ExpectInfo(entry.Value, info, $"TryGetInfo {when}");
            }
        }

        _space = saved;
    }

    private static KvScanVisitor Collector(List<KeyValuePair<byte[], byte[]>> into, int stopAfter) => (key, value) =>
    {
        into.Add(new(key.ToArray(), value.ToArray()));
        return into.Count < stopAfter;
    };

    private void ExpectEntries(IEnumerable<KeyValuePair<byte[], ModelEntry>> expected, List<KeyValuePair<byte[], byte[]>> got, long visited, string what)
    {
        var want = expected.ToList();
        Expect(visited == got.Count, () => $"{what} returned {visited} but visited {got.Count} entries");
        for (int i = 0; i < Math.Max(want.Count, got.Count); i++)
        {
            int at = i;
            Expect(i < want.Count && i < got.Count, () => $"{what}: {got.Count} entries, expected {want.Count}; first difference at {at}: " +
                $"got {(at < got.Count ? Show(got[at].Key) : "-")}, expected {(at < want.Count ? Show(want[at].Key) : "-")}");
            Expect(ByteOrder.Instance.Equals(want[i].Key, got[i].Key), () => $"{what}: entry {at} is {Show(got[at].Key)}, expected {Show(want[at].Key)}");
            ExpectValue(want[i].Value.Value, got[i].Value, $"{what} entry {i} ({Show(want[i].Key)})");
        }
    }

    private void ExpectValue(byte[]? expected, byte[]? got, string what) =>
        Expect(expected is null ? got is null : got is not null && expected.AsSpan().SequenceEqual(got),
            () => $"{what}: got {Bytes.Show(got)}, expected {Bytes.Show(expected)}");

    private void ExpectInfo(ModelEntry expected, EntryInfo info, string what) =>
        Expect(info.Version == expected.Version && info.ExpiresAtUnixMs == expected.ExpiresAtMs && info.CategoryId == 0 && info.ValueLength == expected.Value.Length,
            () => $"{what}: info {info}, expected version {expected.Version}, expiry {expected.ExpiresAtMs}, length {expected.Value.Length}");

    private void Expect(bool condition, Func<string> message)
    {
        if (!condition)
        {
            throw Fail(message());
        }
    }

    private XunitException Fail(string message) => new(
        $"Model run seed {_seed}, operation {_op}, clock {_clock.GetUtcNow():O}: {message}\nLast operations (oldest first):\n  {string.Join("\n  ", _recent)}");

    private void Note(string operation)
    {
        if (_recent.Count == RecentCount)
        {
            _recent.Dequeue();
        }

        _recent.Enqueue($"#{_op} [{SpaceNames[_space]}] {operation}");
    }

    private static string Show(byte[] key) => Bytes.Show(key);
}
