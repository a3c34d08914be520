namespace Store.Storage;

/// <summary>Immutable snapshot of the live segments, indexed by segment id; replaced on every change.</summary>
internal sealed class SegmentTable
{
    private readonly LogSegment?[] _slots;

    public SegmentTable(long firstId, LogSegment?[] slots)
    {
        FirstId = firstId;
        _slots = slots;
    }

    public static SegmentTable Empty { get; } = new(0, []);

    public long FirstId { get; }

    public LogSegment? Find(long id)
    {
        long i = id - FirstId;
        return (ulong)i < (ulong)_slots.Length ? _slots[i] : null;
    }

    public IEnumerable<LogSegment> Segments => _slots.Where(s => s is not null)!;

    public SegmentTable With(LogSegment segment)
    {
        var all = Segments.Append(segment).ToList();
        return Build(all);
    }

    public SegmentTable Without(LogSegment segment) => Build(Segments.Where(s => s != segment).ToList());

    private static SegmentTable Build(List<LogSegment> segments)
    {
        if (segments.Count == 0)
        {
            return Empty;
        }

        long first = segments.Min(s => s.Id);
        long last = segments.Max(s => s.Id);
        var slots = new LogSegment?[last - first + 1];
        foreach (LogSegment s in segments)
        {
            slots[s.Id - first] = s;
        }

        return new SegmentTable(first, slots);
    }
}
