namespace Store.Bench.Suites.Ann;

/// <summary>
/// The k smallest (distance, id) pairs seen, kept sorted by insertion (k is small). Among equal
/// distances the one offered first stays ahead: scanning ids in order, the lower id wins a tie.
/// </summary>
internal sealed class TopK(int k)
{
    private readonly double[] _distances = new double[k];
    private readonly long[] _ids = new long[k];

    public int Count { get; private set; }

    /// <summary>The largest kept distance once full; +infinity before.</summary>
    public double Bound => Count < k ? double.PositiveInfinity : _distances[k - 1];

    public void Clear() => Count = 0;

    public void Offer(double distance, long id)
    {
        if (distance >= Bound)
        {
            return;
        }

        int at = Count < k ? Count++ : k - 1;
        while (at > 0 && _distances[at - 1] > distance)
        {
            _distances[at] = _distances[at - 1];
            _ids[at] = _ids[at - 1];
            at--;
        }

        _distances[at] = distance;
        _ids[at] = id;
    }

    /// <summary>Copies the ids, nearest first, into <paramref name="ids"/>; returns how many.</summary>
    public int CopyIds(Span<long> ids)
    {
        int n = Math.Min(Count, ids.Length);
        _ids.AsSpan(0, n).CopyTo(ids);
        return n;
    }

    public ReadOnlySpan<long> Ids => _ids.AsSpan(0, Count);
}
