namespace Store.Bench.Peers;

/// <summary>
/// A key and its value in <see cref="SortedSetIndex"/>. A null key sorts above every key (the open
/// upper bound of a scan view). The key is mutable only for the one probe entry used under the lock.
/// </summary>
internal sealed class SortedEntry(byte[]? key, long value)
{
    public byte[]? Key { get; set; } = key;

    public long Value { get; set; } = value;
}

/// <summary>Lexicographic order of <see cref="SortedEntry"/> keys, null last.</summary>
internal sealed class SortedEntryComparer : IComparer<SortedEntry>
{
    public static SortedEntryComparer Instance { get; } = new();

    public int Compare(SortedEntry? x, SortedEntry? y)
    {
        byte[]? a = x!.Key;
        byte[]? b = y!.Key;
        if (a is null || b is null)
        {
            return (a is null ? 1 : 0) - (b is null ? 1 : 0);
        }

        return a.AsSpan().SequenceCompareTo(b);
    }
}
