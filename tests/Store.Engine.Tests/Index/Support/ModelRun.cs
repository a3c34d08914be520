using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

/// <summary>
/// One seeded run of random operations against a <see cref="BSkipList"/> and a <see cref="ModelMap"/>.
/// Every operation's result is compared; the full contents and Count are compared every
/// <see cref="FullCheckInterval"/> operations and at the end. The run alternates between a growing
/// phase (insert-heavy) and a shrinking phase (delete-heavy) so nodes both split and empty out.
/// Deterministic for a given (capacity, shape, seed): a failure message carries all three and the
/// failing operation index, plus the last operations.
/// </summary>
internal sealed class ModelRun
{
    private const int FullCheckInterval = 4096;
    private const int PhaseLength = 10_000;

    private static readonly long[] SpecialValues = [0, -1, 1, long.MinValue, long.MaxValue];

    // Order: Get, Add, Upsert, Update, Remove, Scan, ScanFrom, Cursor.
    private static readonly int[] GrowWeights = [18, 22, 14, 8, 8, 5, 2, 3];
    private static readonly int[] ShrinkWeights = [18, 6, 4, 8, 34, 5, 2, 3];

    private readonly BSkipList _list;
    private readonly ModelMap _model = new();
    private readonly KeyUniverse _keys;
    private readonly Random _rng;
    private readonly OpLog _log = new(24);
    private readonly string _label;
    private long _fullChecks;

    public ModelRun(int nodeCapacity, KeyShape shape, int seed)
    {
        _rng = new Random(seed);
        _keys = KeyUniverse.Create(shape, _rng);
        _list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        _label = $"nodeCapacity={nodeCapacity} shape={shape} seed={seed}";
    }

    public void Run(int operations)
    {
        for (int i = 0; i < operations; i++)
        {
            int[] weights = i / PhaseLength % 2 == 0 ? GrowWeights : ShrinkWeights;
            try
            {
                Step(weights);
                if (i % 16 == 0)
                {
                    CheckCount();
                }

                if ((i + 1) % FullCheckInterval == 0)
                {
                    CheckContents();
                }
            }
            catch (Exception e)
            {
                throw new XunitException(
                    $"{_label}: operation #{i} failed: {e.GetType().Name}: {e.Message}\nLast operations:\n{_log}", e);
            }
        }

        try
        {
            CheckContents();
            CheckEveryKey();
        }
        catch (Exception e)
        {
            throw new XunitException($"{_label}: final check failed: {e.Message}", e);
        }
    }

    private void Step(int[] weights)
    {
        int roll = _rng.Next(80);
        int op = 0;
        while (roll >= weights[op])
        {
            roll -= weights[op];
            op++;
        }

        switch (op)
        {
            case 0: Get(); break;
            case 1: Add(); break;
            case 2: Upsert(); break;
            case 3: Update(); break;
            case 4: Remove(); break;
            case 5: Scan(); break;
            case 6: ScanFrom(); break;
            default: Cursor(); break;
        }
    }

    private byte[] TargetKey() => _rng.Next(10) == 0 ? _keys.Probe(_rng) : _keys.Pick(_rng);

    private long NextValue() => _rng.Next(10) == 0
        ? SpecialValues[_rng.Next(SpecialValues.Length)]
        : _rng.NextInt64(long.MinValue, long.MaxValue);

    private void Get()
    {
        byte[] key = TargetKey();
        _log.Record("TryGetValue(a)", key);
        bool found = _list.TryGetValue(key, out long value);
        bool expected = _model.TryGetValue(key, out long expectedValue);
        Assert.Equal(expected, found);
        if (found)
        {
            Assert.Equal(expectedValue, value);
        }
    }

    private void Add()
    {
        byte[] key = _keys.Pick(_rng);
        long value = NextValue();
        _log.Record("TryAdd(a, x)", key, x: value);
        bool expected = !_model.ContainsKey(key);
        bool added = _list.TryAdd(key, value);
        Assert.Equal(expected, added);
        if (expected)
        {
            _model.Set(key, value);
        }
    }

    private void Upsert()
    {
        byte[] key = _keys.Pick(_rng);
        long value = NextValue();
        _log.Record("Upsert(a, x)", key, x: value);
        bool existed = _model.TryGetValue(key, out long expectedPrevious);
        bool replaced = _list.Upsert(key, value, out long previous);
        Assert.Equal(existed, replaced);
        if (existed)
        {
            Assert.Equal(expectedPrevious, previous);
        }

        _model.Set(key, value);
    }

    private void Update()
    {
        byte[] key = TargetKey();
        bool present = _model.TryGetValue(key, out long current);
        long comparand = present && _rng.Next(3) != 0 ? current : NextValue();
        long value = NextValue();
        _log.Record("TryUpdate(a, new x, comparand y)", key, x: value, y: comparand);
        bool expected = present && current == comparand;
        bool updated = _list.TryUpdate(key, value, comparand);
        Assert.Equal(expected, updated);
        if (expected)
        {
            _model.Set(key, value);
        }
    }

    private void Remove()
    {
        byte[] key = TargetKey();
        _log.Record("TryRemove(a)", key);
        bool expected = _model.Remove(key, out long expectedValue);
        bool removed = _list.TryRemove(key, out long value);
        Assert.Equal(expected, removed);
        if (removed)
        {
            Assert.Equal(expectedValue, value);
        }
    }

    private int NextLimit() => _rng.Next(40) switch
    {
        0 => int.MaxValue,
        < 6 => _rng.Next(1, 513),
        _ => _rng.Next(1, 65),
    };

    private (byte[] From, byte[] To) NextRange()
    {
        byte[] a = _keys.Bound(_rng);
        byte[] b = _keys.Bound(_rng);
        // Mostly ordered bounds; the rest exercises from >= to, which must yield nothing.
        return _rng.Next(8) != 0 && ByteKeyComparer.Instance.Compare(a, b) > 0 ? (b, a) : (a, b);
    }

    private void Scan()
    {
        var (from, to) = NextRange();
        int limit = NextLimit();
        _log.Record("Scan([a, b), stop after x)", from, to, limit);
        EntryAssert.Equal(_model.Range(from, to, limit), ListReader.Scan(_list, from, to, limit), "Scan");
    }

    private void ScanFrom()
    {
        byte[] from = _keys.Bound(_rng);
        int limit = NextLimit();
        _log.Record("ScanFrom(a, stop after x)", from, null, limit);
        EntryAssert.Equal(_model.Range(from, null, limit), ListReader.ScanFrom(_list, from, limit), "ScanFrom");
    }

    private void Cursor()
    {
        int limit = NextLimit();
        if (_rng.Next(3) == 0)
        {
            byte[] from = _keys.Bound(_rng);
            _log.Record("OpenCursor(a), x steps", from, null, limit);
            EntryAssert.Equal(_model.Range(from, null, limit), ListReader.Cursor(_list, from, null, limit), "Cursor(from)");
        }
        else
        {
            var (from, to) = NextRange();
            _log.Record("OpenCursor([a, b)), x steps", from, to, limit);
            EntryAssert.Equal(_model.Range(from, to, limit), ListReader.Cursor(_list, from, to, limit), "Cursor(from,to)");
        }
    }

    private void CheckCount()
    {
        Assert.Equal(_model.Count, _list.Count);
    }

    private void CheckContents()
    {
        CheckCount();
        List<Entry> expected = _model.All();
        if (_fullChecks++ % 2 == 0)
        {
            EntryAssert.Equal(expected, ListReader.ScanAll(_list), "full ScanFrom");
        }
        else
        {
            EntryAssert.Equal(expected, ListReader.CursorAll(_list), "full cursor walk");
        }
    }

    private void CheckEveryKey()
    {
        EntryAssert.Equal(_model.All(), ListReader.CursorAll(_list), "final cursor walk");
        foreach (byte[] key in _keys.Keys)
        {
            bool expected = _model.TryGetValue(key, out long expectedValue);
            Assert.Equal(expected, _list.TryGetValue(key, out long value));
            if (expected)
            {
                Assert.Equal(expectedValue, value);
            }
        }
    }
}
