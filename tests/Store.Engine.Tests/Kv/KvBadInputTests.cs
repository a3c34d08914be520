using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>
/// Every documented error, and that a rejected call leaves no trace: the key stays absent or
/// unchanged, and Count and the log size do not move (also across a reopen, checked at the end of
/// the tests that write).
/// </summary>
public sealed class KvBadInputTests : IDisposable
{
    private const int MaxKeyLength = 64;
    private const int MaxValueLength = 1000;
    private readonly TempDirectory _temp = new("bad-input");
    private readonly ManualTimeProvider _clock = new();
    private Database _db;
    private Keyspace _keyspace;

    public KvBadInputTests()
    {
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetOrCreateKeyspace("main");
        _keyspace.Set("existing"u8, "old"u8);
        _keyspace.Set("counter"u8, "41"u8);
        _keyspace.Set("text"u8, "not a number"u8);
    }

    private string Path => _temp.Combine("db");

    private DatabaseOptions Options => new()
    {
        SegmentSize = 1 << 20,
        MaxKeyLength = MaxKeyLength,
        MaxValueLength = MaxValueLength,
        CheckpointInterval = TimeSpan.Zero,
        ActiveExpiryInterval = TimeSpan.Zero,
        TimeProvider = _clock,
    };

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void KeysOutsideTheAllowedLengthsAreRejected()
    {
        byte[] tooLong = new byte[MaxKeyLength + 1];
        byte[] longest = new byte[MaxKeyLength];
        tooLong.AsSpan().Fill((byte)'k');
        longest.AsSpan().Fill((byte)'k');

        foreach (byte[] key in new[] { Array.Empty<byte>(), tooLong })
        {
            NothingWritten(() => Assert.Equal("key", Assert.Throws<ArgumentException>(() => _keyspace.Set(key, "v"u8)).ParamName));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Get(key)));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.TryGetInfo(key, out _)));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Delete(key)));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Increment(key, 1)));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Expire(key, TimeSpan.FromSeconds(1))));
            NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Persist(key)));
        }

        // Scan bounds may be empty (unbounded) but not longer than a key can be.
        Assert.Throws<ArgumentException>(() => _keyspace.Scan(tooLong, [], (_, _) => true));
        Assert.Throws<ArgumentException>(() => _keyspace.Scan([], tooLong, (_, _) => true));
        Assert.Throws<ArgumentException>(() => _keyspace.ScanFrom(tooLong, (_, _) => true));
        Assert.Equal(3, _keyspace.ScanFrom([], (_, _) => true));

        Assert.True(_keyspace.Set(longest, "v"u8).Written);
        Assert.Equal("v"u8.ToArray(), _keyspace.Get(longest));
    }

    [Fact]
    public void ValuesAboveTheMaximumAreRejected()
    {
        NothingWritten(() =>
        {
            var error = Assert.Throws<ArgumentException>(() => _keyspace.Set("big"u8, new byte[MaxValueLength + 1]));
            Assert.Equal("value", error.ParamName);
            Assert.Contains(MaxValueLength.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        });
        NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Set("existing"u8, new byte[MaxValueLength + 1])));
        Assert.Equal("old"u8.ToArray(), _keyspace.Get("existing"u8));

        Assert.True(_keyspace.Set("big"u8, new byte[MaxValueLength]).Written);
        Assert.Equal(MaxValueLength, _keyspace.Get("big"u8)!.Length);
        ExpectSameAfterReopen();
    }

    [Fact]
    public void TtlsThatAreNotPositiveAreRejected()
    {
        foreach (TimeSpan ttl in new[] { TimeSpan.Zero, TimeSpan.FromTicks(-1), TimeSpan.FromSeconds(-5) })
        {
            NothingWritten(() => Assert.Equal("Ttl", Assert.Throws<ArgumentOutOfRangeException>(
                () => _keyspace.Set("new"u8, "v"u8, new WriteOptions { Ttl = ttl })).ParamName));
            NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.Set("existing"u8, "v"u8, new WriteOptions { Ttl = ttl })));
            NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.Increment("new"u8, 1, new WriteOptions { Ttl = ttl })));
            NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.MultiSet([new("new"u8.ToArray(), "v"u8.ToArray())], new WriteOptions { Ttl = ttl })));
            NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.Expire("existing"u8, ttl)));
        }

        Assert.True(_keyspace.TryGetTimeToLive("existing"u8, out TimeSpan? left) && left is null);
        ExpectSameAfterReopen();
    }

    [Fact] // regression: engine bug B5 (docs/kv.md)
    public void ExpireRejectsABadTtlWhetherOrNotTheKeyExists()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.Expire("absent"u8, TimeSpan.Zero));
    }

    [Fact]
    public void InvalidDatabaseOptionsAreRejectedNamingTheFieldAndCreateNothing()
    {
        var cases = new (string Field, DatabaseOptions Options)[]
        {
            ("Durability", new() { Durability = (Durability)7 }),
            ("GroupCommitInterval", new() { GroupCommitInterval = TimeSpan.Zero }),
            ("GroupCommitInterval", new() { GroupCommitInterval = TimeSpan.FromTicks(999) }),
            ("GroupCommitInterval", new() { GroupCommitInterval = TimeSpan.FromSeconds(11) }),
            ("SegmentSize", new() { SegmentSize = (1 << 20) - 1 }),
            ("SegmentSize", new() { SegmentSize = 3 << 20 }),
            ("SegmentSize", new() { SegmentSize = 1 << 19 }),
            ("SegmentSize", new() { SegmentSize = int.MinValue }),
            ("MaxKeyLength", new() { MaxKeyLength = 0 }),
            ("MaxKeyLength", new() { MaxKeyLength = DatabaseOptions.MaxKeyLimit + 1 }),
            ("MaxValueLength", new() { MaxValueLength = -1 }),
            ("MaxValueLength", new() { SegmentSize = 1 << 20, MaxValueLength = (1 << 18) + 1 }),
            ("CompressionThreshold", new() { CompressionThreshold = -1 }),
            ("CheckpointInterval", new() { CheckpointInterval = TimeSpan.FromTicks(-1) }),
            ("CompactionTrigger", new() { CompactionTrigger = 1.0 }),
            ("CompactionTrigger", new() { CompactionTrigger = 10.5 }),
            ("CompactionTrigger", new() { CompactionTrigger = double.NaN }),
            ("ActiveExpiryInterval", new() { ActiveExpiryInterval = TimeSpan.FromMilliseconds(-1) }),
        };
        foreach ((string field, DatabaseOptions options) in cases)
        {
            string path = _temp.Combine("never-" + Guid.NewGuid().ToString("N"));
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => Database.Open(path, options));
            Assert.Equal(field, error.ParamName);
            Assert.Contains(field, error.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(path), $"a rejected Open ({field}) created the directory");
        }

        string unused = _temp.Combine("never-time");
        Assert.Equal("TimeProvider", Assert.Throws<ArgumentNullException>(() => Database.Open(unused, new DatabaseOptions { TimeProvider = null! })).ParamName);
        Assert.False(Directory.Exists(unused));

        // The boundaries themselves are fine.
        using (Database.Open(_temp.Combine("edges"), new DatabaseOptions
        {
            GroupCommitInterval = TimeSpan.FromTicks(1000),
            SegmentSize = 1 << 20,
            MaxKeyLength = DatabaseOptions.MaxKeyLimit,
            MaxValueLength = 1 << 18,
            CompressionThreshold = 0,
            CompactionTrigger = 1.1,
            CheckpointInterval = TimeSpan.Zero,
            ActiveExpiryInterval = TimeSpan.Zero,
        }))
        {
        }
    }

    [Fact]
    public void InvalidCategoryPoliciesAreRejectedNamingTheFieldAndDefineNothing()
    {
        var cases = new (string Field, CategoryPolicy Policy)[]
        {
            ("DefaultTtl", new() { DefaultTtl = TimeSpan.Zero }),
            ("DefaultTtl", new() { DefaultTtl = TimeSpan.FromSeconds(-1) }),
            ("MaxTtl", new() { MaxTtl = TimeSpan.Zero }),
            ("MaxEntries", new() { MaxEntries = -1 }),
            ("MaxBytes", new() { MaxBytes = -1 }),
        };
        foreach ((string field, CategoryPolicy policy) in cases)
        {
            Assert.Equal(field, Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.DefineCategory("bad", policy)).ParamName);
            Assert.False(_keyspace.TryGetCategory("bad", out _));
        }

        Category good = _keyspace.DefineCategory("good", new CategoryPolicy { MaxEntries = 10 });
        Assert.Equal("MaxBytes", Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.DefineCategory("good", new CategoryPolicy { MaxBytes = -5 })).ParamName);
        Assert.Equal(10, good.Policy.MaxEntries); // a rejected redefinition keeps the old policy
        Assert.Throws<ArgumentNullException>(() => _keyspace.DefineCategory("good", null!));

        Reopen();
        Assert.Equal(new CategoryPolicy { MaxEntries = 10 }, _keyspace.GetCategory("good").Policy);
        Assert.False(_keyspace.TryGetCategory("bad", out _));
    }

    [Fact]
    public void UnknownKeyspacesAndCategoriesThrowTypedExceptions()
    {
        var keyspaceError = Assert.Throws<KeyspaceNotFoundException>(() => _db.GetKeyspace("nope"));
        Assert.Equal("nope", keyspaceError.Name);
        Assert.IsAssignableFrom<StoreException>(keyspaceError);
        Assert.False(_db.TryGetKeyspace("nope", out _));
        Assert.DoesNotContain("nope", _db.Keyspaces);

        var categoryError = Assert.Throws<CategoryNotFoundException>(() => _keyspace.GetCategory("nope"));
        Assert.Equal("nope", categoryError.Name);
        Assert.IsAssignableFrom<StoreException>(categoryError);
    }

    [Fact]
    public void BadNamesAreRejected()
    {
        foreach (string name in new[] { string.Empty, new string('n', 201), "tab\there", "line\nbreak" })
        {
            Assert.ThrowsAny<ArgumentException>(() => _db.GetOrCreateKeyspace(name));
            Assert.ThrowsAny<ArgumentException>(() => _keyspace.DefineCategory(name, new CategoryPolicy()));
        }

        Assert.ThrowsAny<ArgumentException>(() => _db.GetOrCreateKeyspace(null!));
        Assert.Equal(["main"], _db.Keyspaces);
        Assert.Empty(_keyspace.Categories);
        Assert.NotNull(_db.GetOrCreateKeyspace(new string('n', 200)));
    }

    [Fact]
    public void CategoryOfAnotherKeyspaceIsRejected()
    {
        Keyspace other = _db.GetOrCreateKeyspace("other");
        Category foreign = other.DefineCategory("c", new CategoryPolicy());

        NothingWritten(() => Assert.Equal("category", Assert.Throws<ArgumentException>(
            () => _keyspace.Set("new"u8, "v"u8, new WriteOptions { Category = foreign })).ParamName));
        NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.Increment("new"u8, 1, new WriteOptions { Category = foreign })));
        Assert.Equal(0, foreign.Entries);
    }

    [Fact]
    public void IncrementOfANonIntegerOrPastTheRangeChangesNothing()
    {
        Assert.True(_keyspace.TryGetInfo("text"u8, out EntryInfo before));
        NothingWritten(() => Assert.Throws<ValueNotIntegerException>(() => _keyspace.Increment("text"u8, 1)));
        Assert.Equal("not a number"u8.ToArray(), _keyspace.Get("text"u8));
        Assert.True(_keyspace.TryGetInfo("text"u8, out EntryInfo after));
        Assert.Equal(before, after);

        _keyspace.Set("max"u8, "9223372036854775807"u8);
        NothingWritten(() => Assert.Throws<ValueNotIntegerException>(() => _keyspace.Increment("max"u8, 1)));
        Assert.Equal("9223372036854775807"u8.ToArray(), _keyspace.Get("max"u8));
        Assert.Equal(long.MinValue + 1, _keyspace.Increment("min"u8, long.MinValue + 1));
        NothingWritten(() => Assert.Throws<ValueNotIntegerException>(() => _keyspace.Increment("min"u8, -2)));

        _keyspace.Set("long"u8, new byte[100]);
        NothingWritten(() => Assert.Throws<ValueNotIntegerException>(() => _keyspace.Increment("long"u8, 1)));
        _keyspace.Set("empty"u8, []);
        NothingWritten(() => Assert.Throws<ValueNotIntegerException>(() => _keyspace.Increment("empty"u8, 1)));

        Assert.Equal(42, _keyspace.Increment("counter"u8));
        Assert.Equal("42"u8.ToArray(), _keyspace.Get("counter"u8));
        ExpectSameAfterReopen();
    }

    [Fact]
    public void FailedConditionsWriteNothing()
    {
        Assert.True(_keyspace.TryGetInfo("existing"u8, out EntryInfo info));
        foreach (WriteOptions options in new WriteOptions[]
        {
            new() { Condition = WriteCondition.IfAbsent },
            new() { Condition = WriteCondition.IfVersion, ExpectedVersion = info.Version + 1 },
            new() { Condition = WriteCondition.IfVersion, ExpectedVersion = 0 },
        })
        {
            NothingWritten(() => Assert.Equal(new WriteResult(WriteStatus.ConditionFailed, 0), _keyspace.Set("existing"u8, "new"u8, options)));
        }

        NothingWritten(() => Assert.False(_keyspace.Set("absent"u8, "v"u8, new WriteOptions { Condition = WriteCondition.IfPresent }).Written));
        NothingWritten(() => Assert.False(_keyspace.Set("absent"u8, "v"u8, new WriteOptions { Condition = WriteCondition.IfVersion, ExpectedVersion = info.Version }).Written));
        NothingWritten(() => Assert.False(_keyspace.Delete("absent"u8)));
        NothingWritten(() => Assert.False(_keyspace.Expire("absent"u8, TimeSpan.FromSeconds(1))));
        NothingWritten(() => Assert.False(_keyspace.Persist("absent"u8)));
        NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.Set("x"u8, "v"u8, new WriteOptions { Condition = (WriteCondition)9 })));
        Assert.Equal("old"u8.ToArray(), _keyspace.Get("existing"u8));
        Assert.Null(_keyspace.Get("absent"u8));

        ExpectSameAfterReopen();
        WriteResult ok = _keyspace.Set("existing"u8, "new"u8, new WriteOptions { Condition = WriteCondition.IfVersion, ExpectedVersion = info.Version });
        Assert.True(ok.Written && ok.Version > info.Version);
    }

    [Fact]
    public void OtherArgumentErrors()
    {
        NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.ScanPage("a"u8, null, 0)));
        NothingWritten(() => Assert.Throws<ArgumentOutOfRangeException>(() => _keyspace.ScanPage("a"u8, null, -1)));
        NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.MultiGet([[1], [2]], new byte[]?[1])));
        NothingWritten(() => Assert.Throws<ArgumentNullException>(() => _keyspace.MultiGet(null!, [])));
        NothingWritten(() => Assert.Throws<ArgumentNullException>(() => _keyspace.MultiSet(null!)));
        NothingWritten(() => Assert.Throws<ArgumentNullException>(() => _keyspace.TryGet("existing"u8, null!, out _)));
        NothingWritten(() => Assert.Throws<ArgumentNullException>(() => _keyspace.Scan("a"u8, "b"u8, null!)));
        Assert.ThrowsAny<ArgumentException>(() => Database.Open(" "));
    }

    [Fact]
    public void SecondOpenOfAnOpenDirectoryIsRefusedUntilItCloses()
    {
        var error = Assert.Throws<DatabaseLockedException>(() => Database.Open(Path, Options));
        Assert.Contains(System.IO.Path.GetFullPath(Path), error.Message, StringComparison.Ordinal);
        Assert.Equal("old"u8.ToArray(), _keyspace.Get("existing"u8)); // the open one is unaffected

        Reopen(); // after Dispose the directory is free
        Assert.Equal("old"u8.ToArray(), _keyspace.Get("existing"u8));
    }

    [Fact]
    public void DisposedDatabaseRefusesDatabaseCalls()
    {
        _db.Dispose();
        _db.Dispose(); // twice is fine
        Assert.Throws<ObjectDisposedException>(() => _db.Flush());
        Assert.Throws<ObjectDisposedException>(() => _db.Checkpoint());
        Assert.Throws<ObjectDisposedException>(() => _db.Compact());
        Assert.Throws<ObjectDisposedException>(() => _db.GetOrCreateKeyspace("new"));
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetKeyspace("main");
    }

    [Fact]
    public async Task DisposedDatabaseRefusesKeyspaceReadsAndWrites()
    {
        for (int i = 0; i < 1200; i++)
        {
            _keyspace.Set(Bytes.Of($"big{i}"), new byte[MaxValueLength]); // over a segment: "existing" is in a sealed one now
        }

        Keyspace stale = _keyspace;
        _db.Dispose();

        Assert.Throws<ObjectDisposedException>(() => stale.Set("late"u8, "v"u8));
        Assert.Throws<ObjectDisposedException>(() => stale.Delete("existing"u8));
        Assert.Throws<ObjectDisposedException>(() => stale.Increment("counter"u8));
        Assert.Throws<ObjectDisposedException>(() => stale.TryGetInfo("existing"u8, out _));
        Assert.Throws<ObjectDisposedException>(() => stale.ScanFrom([], (_, _) => true));

        // A read of a key in an unmapped segment must fail, not spin (it would spin on a pool thread for the rest of the run).
        Task<byte[]?> read = Task.Run(() => stale.Get("existing"u8));
        Assert.True(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(10))) == read, "Get after Dispose did not return");
        Assert.IsType<ObjectDisposedException>(read.Exception?.InnerException);

        _db = Database.Open(Path, Options);
        _keyspace = _db.GetKeyspace("main");
        Assert.Null(_keyspace.Get("late"u8));
        Assert.Equal("old"u8.ToArray(), _keyspace.Get("existing"u8));
    }

    [Fact] // regression: engine bug B3 (docs/kv.md)
    public void DisposedDatabaseRefusesCategoryDefinitions()
    {
        Keyspace stale = _keyspace;
        _db.Dispose();
        byte[] catalog = File.ReadAllBytes(System.IO.Path.Combine(Path, "CATALOG"));

        Assert.Throws<ObjectDisposedException>(() => stale.DefineCategory("late", new CategoryPolicy()));
        Assert.Equal(catalog, File.ReadAllBytes(System.IO.Path.Combine(Path, "CATALOG")));
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetKeyspace("main");
    }

    [Fact] // regression: engine bug B8 (docs/kv.md)
    public void ScanPagePagesPastAKeyOfTheMaximumLength()
    {
        byte[] longest = new byte[MaxKeyLength];
        longest.AsSpan().Fill((byte)'k');
        _keyspace.Set(longest, "v"u8);
        _keyspace.Set("z"u8, "v"u8);

        ScanPage first = _keyspace.ScanPage(longest, null, 1);
        Assert.Equal(longest, first.NextCursor);
        ScanPage second = _keyspace.ScanPage(longest, null, 1, first.NextCursor);
        byte[]? following = null;
        _keyspace.ScanFrom(longest, (key, _) =>
        {
            if (key.SequenceEqual(longest))
            {
                return true;
            }

            following = key.ToArray();
            return false;
        });
        Assert.NotNull(following);
        Assert.Equal(following, Assert.Single(second.Items).Key);
    }

    [Fact] // regression: engine bug B6 (docs/kv.md)
    public void MultiSetWithAnInvalidItemWritesNothing()
    {
        NothingWritten(() => Assert.Throws<ArgumentException>(() => _keyspace.MultiSet(
        [
            new("first"u8.ToArray(), "v"u8.ToArray()),
            new([], "v"u8.ToArray()),
        ])));
    }

    /// <summary>Runs a rejected call and checks it left no trace: same Count, same log size, and the same after a reopen.</summary>
    private void NothingWritten(Action rejected)
    {
        long count = _keyspace.Count;
        long logBytes = _db.Usage.LogBytes;
        rejected();
        Assert.Equal(count, _keyspace.Count);
        Assert.Equal(logBytes, _db.Usage.LogBytes);
        Assert.Null(_keyspace.Get("new"u8));
        Assert.Null(_keyspace.Get("absent"u8));
        Assert.Null(_keyspace.Get("first"u8));
    }

    /// <summary>Reopens and checks that every key and value is as before.</summary>
    private void ExpectSameAfterReopen()
    {
        var before = new List<(byte[] Key, byte[] Value)>();
        _keyspace.ScanFrom([], (key, value) =>
        {
            before.Add((key.ToArray(), value.ToArray()));
            return true;
        });
        long logBytes = _db.Usage.LogBytes;
        Reopen();
        var after = new List<(byte[] Key, byte[] Value)>();
        _keyspace.ScanFrom([], (key, value) =>
        {
            after.Add((key.ToArray(), value.ToArray()));
            return true;
        });
        Assert.Equal(before.Count, after.Count);
        Assert.True(before.Zip(after).All(p => p.First.Key.AsSpan().SequenceEqual(p.Second.Key) && p.First.Value.AsSpan().SequenceEqual(p.Second.Value)));
        Assert.Equal(before.Count, _keyspace.Count);
        Assert.Equal(logBytes, _db.Usage.LogBytes);
    }

    private void Reopen()
    {
        _db.Dispose();
        _db = Database.Open(Path, Options);
        _keyspace = _db.GetKeyspace("main");
    }
}
