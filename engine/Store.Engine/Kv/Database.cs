using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Store.Storage;

namespace Store.Kv;

/// <summary>
/// An embedded database: one directory holding a record log, checkpoints and a catalog of
/// keyspaces. Thread-safe; dispose it to flush, checkpoint and release the directory.
/// Files and formats: docs/kv.md.
/// </summary>
public sealed partial class Database : IDisposable
{
    private const int MaxNameLength = 200;
    private readonly FileStream _lockFile;
    private readonly ILogger _logger;
    private readonly Lock _catalogLock = new();
    private Keyspace?[] _keyspacesById = [null];
    private volatile bool _disposed;

    private Database(string path, DatabaseOptions options, ILogger logger, FileStream lockFile)
    {
        Path = path;
        Options = options;
        _logger = logger;
        _lockFile = lockFile;
        Log = RecordLog.Open(System.IO.Path.Combine(path, "log"), options, logger);
    }

    /// <summary>The database directory (full path).</summary>
    public string Path { get; }

    /// <summary>Names of the keyspaces.</summary>
    public IReadOnlyList<string> Keyspaces => [.. Volatile.Read(ref _keyspacesById).OfType<Keyspace>().Select(k => k.Name).Where(n => !n.StartsWith(ReservedPrefix, StringComparison.Ordinal))];

    internal DatabaseOptions Options { get; }

    internal RecordLog Log { get; }

    internal KeyStripes Stripes { get; } = new();

    internal ExpiryIndex Expiry { get; } = new();

    /// <summary>
    /// Opens (creating if needed) the database in <paramref name="path"/>. After a crash it loads the
    /// newest checkpoint and replays the log after it; a torn or corrupt record cuts the log there.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    /// <exception cref="DatabaseLockedException">Another process or instance has the directory open.</exception>
    /// <exception cref="UnsupportedFormatException">A file is not a Store file of a version this build reads.</exception>
    public static Database Open(string path, DatabaseOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new DatabaseOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        string full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(full);
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(System.IO.Path.Combine(full, "LOCK"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new DatabaseLockedException(full, e);
        }

        Database? db = null;
        try
        {
            db = new Database(full, options, logger, lockFile);
            db.Recover();
            db.Log.Start();
            db.StartBackground();
            return db;
        }
        catch
        {
            try
            {
                db?.Log.Dispose();
            }
            catch (Exception cleanup) when (cleanup is IOException or StoreException or ObjectDisposedException)
            {
                logger.LogWarning(cleanup, "Closing the log after a failed open of {Path} failed too", full);
            }

            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>Returns the keyspace, creating it durably if absent.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or has control characters.</exception>
    /// <exception cref="ArgumentException">The name starts with '$' (reserved for the engine's own keyspaces).</exception>
    public Keyspace GetOrCreateKeyspace(string name)
    {
        CheckName(name, nameof(name));
        if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Keyspace names starting with '{ReservedPrefix}' are reserved for the engine; got '{name}'.", nameof(name));
        }

        return GetOrCreateKeyspaceInternal(name);
    }

    /// <summary>Returns the keyspace, creating it durably if absent; reserved names allowed.</summary>
    internal Keyspace GetOrCreateKeyspaceInternal(string name)
    {
        CheckName(name, nameof(name));
        ThrowIfDisposed();
        if (TryGetKeyspace(name, out Keyspace? existing))
        {
            return existing;
        }

        lock (_catalogLock)
        {
            if (TryGetKeyspace(name, out existing))
            {
                return existing;
            }

            Keyspace?[] all = Volatile.Read(ref _keyspacesById);
            if (all.Length > ushort.MaxValue - 1)
            {
                throw new InvalidOperationException($"The database already has {ushort.MaxValue - 1} keyspaces, the most it can hold.");
            }

            var keyspace = new Keyspace(this, all.Length, name);
            Volatile.Write(ref _keyspacesById, [.. all, keyspace]);
            SaveCatalog();
            return keyspace;
        }
    }

    /// <summary>Returns the keyspace or throws <see cref="KeyspaceNotFoundException"/>.</summary>
    public Keyspace GetKeyspace(string name) => TryGetKeyspace(name, out Keyspace? keyspace) ? keyspace : throw new KeyspaceNotFoundException(name);

    /// <summary>Looks a keyspace up.</summary>
    public bool TryGetKeyspace(string name, [NotNullWhen(true)] out Keyspace? keyspace)
    {
        foreach (Keyspace? candidate in Volatile.Read(ref _keyspacesById))
        {
            if (candidate is not null && candidate.Name == name)
            {
                keyspace = candidate;
                return true;
            }
        }

        keyspace = null;
        return false;
    }

    /// <summary>Makes every acknowledged write durable now (writes and fsyncs the log tail).</summary>
    public void Flush()
    {
        ThrowIfDisposed();
        Log.Flush();
    }

    /// <summary>Flushes, checkpoints and closes; the directory is free for another process afterwards.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        CloseCollections();
        _disposed = true;
        StopBackground();
        try
        {
            WriteCheckpoint();
        }
        catch (Exception e) when (e is IOException or StoreException)
        {
            _logger.LogError(e, "Checkpoint at close of {Path} failed; the next open replays more of the log", Path);
        }

        Log.Dispose();
        _lockFile.Dispose();
    }

    internal Keyspace? KeyspaceById(int id)
    {
        Keyspace?[] all = Volatile.Read(ref _keyspacesById);
        return (uint)id < (uint)all.Length ? all[id] : null;
    }

    internal IEnumerable<Keyspace> AllKeyspaces => Volatile.Read(ref _keyspacesById).OfType<Keyspace>();

    internal void SaveCatalog()
    {
        lock (_catalogLock)
        {
            ThrowIfDisposed();
            Catalog.Save(Path, AllKeyspaces.Select(k => k.ToCatalog()));
        }
    }

    internal void ThrowIfDisposed()
    {
        if (_disposed)
        {
            ThrowDisposed();
        }
    }

    [DoesNotReturn]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(Database), $"The database at '{Path}' is closed.");

    internal static void CheckName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"Names are 1 to {MaxNameLength} characters without control characters; got '{name}'.", parameter);
        }
    }
}
