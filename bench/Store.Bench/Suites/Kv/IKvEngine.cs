namespace Store.Bench.Suites.Kv;

/// <summary>One open database of one engine in the kv suite.</summary>
internal interface IKvEngine : IDisposable
{
    /// <summary>Keys the engine says it holds, or null when it cannot tell cheaply (RocksDB).</summary>
    long? Count { get; }

    /// <summary>A worker for one thread; dispose it at the end of the phase.</summary>
    IKvWorker CreateWorker();

    /// <summary>Makes everything written so far durable the engine's own way, before it is closed after the fill.</summary>
    void Persist();

    /// <summary>
    /// Waits, at most <paramref name="limit"/>, for background work left from the load to finish
    /// (RocksDB's flushes and compactions), so reads are measured in a steady state; returns false
    /// if it was still running at the limit.
    /// </summary>
    bool Settle(TimeSpan limit);
}

/// <summary>One thread's handle on an engine: the three operations the workloads time.</summary>
internal interface IKvWorker : IDisposable
{
    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Reads a value; the span is valid until the next call on this worker.</summary>
    bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value);

    /// <summary>
    /// Reads up to <paramref name="count"/> entries in key order from the first key &gt;= <paramref name="key"/>
    /// (a seek and count - 1 nexts), adding each key's length and value's first byte to
    /// <paramref name="checksum"/>; returns the entries read.
    /// </summary>
    int SeekAndRead(ReadOnlySpan<byte> key, int count, ref long checksum);
}
