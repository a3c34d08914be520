using Store.Index;
using Xunit.Sdk;

namespace Store.Tests.Index;

/// <summary>
/// One range read taken while writers run: a cursor or Scan over a random range, possibly stopped
/// early. <see cref="CheckWellFormed"/> checks what must hold under any concurrent writes; callers
/// add checks for keys that nobody modifies.
/// </summary>
internal sealed class ObservedScan
{
    private ObservedScan(string mode, byte[] from, byte[]? to, int limit, List<Entry> entries)
    {
        Mode = mode;
        From = from;
        To = to;
        Limit = limit;
        Entries = entries;
    }

    public string Mode { get; }

    public byte[] From { get; }

    /// <summary>Exclusive upper bound; null for ScanFrom and OpenCursor(from).</summary>
    public byte[]? To { get; }

    public int Limit { get; }

    public List<Entry> Entries { get; }

    /// <summary>True when the read ran to the end of its range rather than stopping at the limit.</summary>
    public bool Complete => Entries.Count < Limit;

    public static ObservedScan Take(BSkipList list, Random rng, int keySpace)
    {
        byte[] from = StressKeys.Bound(rng, keySpace);
        byte[] to = StressKeys.Bound(rng, keySpace);
        if (rng.Next(8) != 0 && ByteKeyComparer.Instance.Compare(from, to) > 0)
        {
            (from, to) = (to, from);
        }

        int limit = rng.Next(4) == 0 ? rng.Next(1, 50) : int.MaxValue;
        return rng.Next(4) switch
        {
            0 => new ObservedScan("Cursor(from,to)", from, to, limit, ListReader.Cursor(list, from, to, limit)),
            1 => new ObservedScan("Cursor(from)", from, null, limit, ListReader.Cursor(list, from, null, limit)),
            2 => new ObservedScan("Scan", from, to, limit, ListReader.Scan(list, from, to, limit)),
            _ => new ObservedScan("ScanFrom", from, null, limit, ListReader.ScanFrom(list, from, limit)),
        };
    }

    /// <summary>
    /// Every key within [From, To), strictly increasing, a well-formed stress key whose value was
    /// written for that key (checked by <paramref name="valueIsPlausible"/>).
    /// </summary>
    public void CheckWellFormed(Func<int, long, bool> valueIsPlausible)
    {
        EntryAssert.StrictlyIncreasing(Entries, Describe());
        foreach (Entry entry in Entries)
        {
            if (ByteKeyComparer.Instance.Compare(entry.Key, From) < 0
                || (To is not null && ByteKeyComparer.Instance.Compare(entry.Key, To) >= 0))
            {
                throw new XunitException($"{Describe()}: returned {entry} outside the range");
            }

            if (!StressKeys.TryDecode(entry.Key, out int n))
            {
                throw new XunitException($"{Describe()}: returned a key that was never written: {entry}");
            }

            if (!valueIsPlausible(n, entry.Value))
            {
                throw new XunitException($"{Describe()}: returned key {n} with a value never written for it: {entry.Value:X16}");
            }
        }
    }

    /// <summary>
    /// Every key of <paramref name="sortedRequired"/> inside the range (and, if the read stopped early,
    /// not after the last returned key) was returned with value <paramref name="expectedValue"/>(n).
    /// </summary>
    public void CheckContainsAll(byte[][] sortedRequired, Func<int, long> expectedValue)
    {
        int next = LowerBound(sortedRequired, From);
        int end = To is null ? sortedRequired.Length : LowerBound(sortedRequired, To);
        foreach (Entry entry in Entries)
        {
            if (next < end && ByteKeyComparer.Instance.Compare(sortedRequired[next], entry.Key) < 0)
            {
                throw new XunitException(
                    $"{Describe()}: skipped untouched key {KeyText.Format(sortedRequired[next])} (next returned {entry})");
            }

            if (next < end && ByteKeyComparer.Equal(sortedRequired[next], entry.Key))
            {
                StressKeys.TryDecode(entry.Key, out int n);
                if (entry.Value != expectedValue(n))
                {
                    throw new XunitException($"{Describe()}: untouched key {n} has value {entry.Value}, expected {expectedValue(n)}");
                }

                next++;
            }
        }

        if (Complete && next < end)
        {
            throw new XunitException(
                $"{Describe()}: missing untouched key {KeyText.Format(sortedRequired[next])} after the last returned entry " +
                $"({end - next} untouched keys missing)");
        }
    }

    public string Describe() =>
        $"{Mode} from={KeyText.Format(From)} to={KeyText.Format(To)} limit={Limit} returned={Entries.Count}";

    private static int LowerBound(byte[][] sorted, byte[] key)
    {
        int lo = 0;
        int hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (ByteKeyComparer.Instance.Compare(sorted[mid], key) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
