namespace Store.Bench.Suites.Kv.Engines;

/// <summary>
/// An engine the kv suite compares: how to create a database in a directory, reopen it (recovery)
/// and, for Store, reopen it replaying the whole log.
/// </summary>
internal abstract class KvPeer
{
    /// <summary>The name on the command line (<c>--engines</c>).</summary>
    public abstract string Name { get; }

    /// <summary>The name in tables and result lines.</summary>
    public abstract string Engine { get; }

    /// <summary>False for an unordered store (FASTER): its seek rows are n/a.</summary>
    public abstract bool SupportsSeek { get; }

    /// <summary>One line on the settings the engine runs with, for the result file.</summary>
    public abstract string Describe();

    /// <summary>Checks the engine can run here (library present...); on false the reason was reported.</summary>
    public virtual bool CheckAvailable(Action<string> report) => true;

    /// <summary>A new, empty database in <paramref name="directory"/> sized for <paramref name="keys"/>.</summary>
    public abstract IKvEngine Create(string directory, int keys);

    /// <summary>Opens the database closed in <paramref name="directory"/> the engine's normal way (recovery).</summary>
    public abstract IKvEngine Reopen(string directory, int keys);

    /// <summary>True when <see cref="ReopenReplayingWholeLog"/> is supported (Store).</summary>
    public virtual bool SupportsFullReplay => false;

    /// <summary>Reopens replaying every log record (no checkpoint), timing it. The database must be closed.</summary>
    public virtual FullReplay ReopenReplayingWholeLog(string directory, int keys) =>
        throw new NotSupportedException($"{Engine} has no whole-log replay mode");
}

/// <summary>A reopen that replayed the whole log: the engine now open, the log bytes replayed and the time it took.</summary>
internal sealed record FullReplay(IKvEngine Engine, long LogBytes, TimeSpan Elapsed)
{
    public double MegabytesPerSecond => LogBytes / 1e6 / Elapsed.TotalSeconds;
}
