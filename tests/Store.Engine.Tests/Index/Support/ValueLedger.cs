namespace Store.Tests.Index;

/// <summary>
/// Per-key bookkeeping of one contention worker. A value "starts" when a successful TryAdd, Upsert or
/// TryUpdate makes it current and "ends" when a TryRemove, Upsert or TryUpdate reports it as replaced.
/// Summed over all workers, every started value must have ended exactly once, except the final one:
/// started = ended + final (compared as counts, wrapping sums and sums of mixed images).
/// </summary>
internal sealed class ValueLedger(int keys)
{
    public long[] Adds { get; } = new long[keys];

    public long[] Removes { get; } = new long[keys];

    public long[] Started { get; } = new long[keys];

    public long[] Ended { get; } = new long[keys];

    public long[] StartedSum { get; } = new long[keys];

    public long[] EndedSum { get; } = new long[keys];

    public ulong[] StartedMix { get; } = new ulong[keys];

    public ulong[] EndedMix { get; } = new ulong[keys];

    public void Start(int key, long value)
    {
        Started[key]++;
        StartedSum[key] = unchecked(StartedSum[key] + value);
        StartedMix[key] = unchecked(StartedMix[key] + StressKeys.Mix(value));
    }

    public void End(int key, long value)
    {
        Ended[key]++;
        EndedSum[key] = unchecked(EndedSum[key] + value);
        EndedMix[key] = unchecked(EndedMix[key] + StressKeys.Mix(value));
    }

    public static ValueLedger Merge(int keys, IEnumerable<ValueLedger> ledgers)
    {
        var total = new ValueLedger(keys);
        foreach (ValueLedger ledger in ledgers)
        {
            for (int k = 0; k < keys; k++)
            {
                total.Adds[k] += ledger.Adds[k];
                total.Removes[k] += ledger.Removes[k];
                total.Started[k] += ledger.Started[k];
                total.Ended[k] += ledger.Ended[k];
                total.StartedSum[k] = unchecked(total.StartedSum[k] + ledger.StartedSum[k]);
                total.EndedSum[k] = unchecked(total.EndedSum[k] + ledger.EndedSum[k]);
                total.StartedMix[k] = unchecked(total.StartedMix[k] + ledger.StartedMix[k]);
                total.EndedMix[k] = unchecked(total.EndedMix[k] + ledger.EndedMix[k]);
            }
        }

        return total;
    }
}
