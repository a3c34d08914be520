namespace Store.Bench.Suites.Kv;

/// <summary>Checks outside the timed phases that an engine holds what was written (after a reopen, mostly).</summary>
internal static class KvChecks
{
    /// <summary>
    /// Reads <paramref name="samples"/> random keys (plus the first and last ordinals) and compares
    /// their values with the fill's; checks the key count where the engine reports one. Throws on a difference.
    /// </summary>
    public static void ExpectFilled(IKvEngine engine, KvData data, int samples, string when)
    {
        if (engine.Count is { } count && count != data.Count)
        {
            throw new InvalidOperationException($"{when}: the engine holds {count} keys, expected {data.Count}");
        }

        using var kv = engine.CreateWorker();
        var random = new KvRandom(0xC0FFEE);
        for (int i = 0; i < samples + 2; i++)
        {
            int ordinal = i switch
            {
                0 => 0,
                1 => data.Count - 1,
                _ => random.NextBelow(data.Count),
            };
            if (!kv.TryGet(data.Key(ordinal), out var value))
            {
                throw new InvalidOperationException($"{when}: key #{ordinal} is missing");
            }

            if (!value.SequenceEqual(data.Value(ordinal, 0)))
            {
                throw new InvalidOperationException($"{when}: key #{ordinal} has a different value ({value.Length} bytes)");
            }
        }
    }
}
