using System.Collections.Concurrent;
using Store.Kv;

namespace Store;

/// <summary>
/// An <see cref="IKeyValueStore"/> over an embedded <see cref="Kv.Database"/>: every call runs the
/// engine synchronously and returns a completed <see cref="ValueTask"/>. Swap it for a
/// <c>StoreClient</c> to run the same code against a server.
/// </summary>
public sealed class EmbeddedStore : IKeyValueStore, IDisposable
{
    /// <summary>Name of the keyspace that <see cref="Default"/> stands for.</summary>
    public const string DefaultKeyspaceName = "default";

    private readonly bool _ownsDatabase;
    private readonly ConcurrentDictionary<string, EmbeddedKeyspace> _keyspaces = new(StringComparer.Ordinal);

    /// <summary>Wraps an open database; disposing the store leaves the database open.</summary>
    public EmbeddedStore(Database database)
        : this(database, ownsDatabase: false)
    {
    }

    private EmbeddedStore(Database database, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        _ownsDatabase = ownsDatabase;
        Default = Wrap(database.GetOrCreateKeyspace(DefaultKeyspaceName));
    }

    /// <summary>The database underneath.</summary>
    public Database Database { get; }

    /// <inheritdoc />
    public IKeyspaceStore Default { get; }

    /// <summary>Opens (creating if needed) the database in <paramref name="path"/>; disposing the store closes it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is invalid; the message names it.</exception>
    /// <exception cref="DatabaseLockedException">Another process or instance has the directory open.</exception>
    public static EmbeddedStore Open(string path, DatabaseOptions? options = null)
    {
        var database = Database.Open(path, options);
        try
        {
            return new EmbeddedStore(database, ownsDatabase: true);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<IKeyspaceStore> GetKeyspaceAsync(string name, bool create = false, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_keyspaces.TryGetValue(name, out EmbeddedKeyspace? known))
            {
                return new ValueTask<IKeyspaceStore>(known);
            }

            Keyspace keyspace = create ? Database.GetOrCreateKeyspace(name) : Database.GetKeyspace(name);
            return new ValueTask<IKeyspaceStore>(Wrap(keyspace));
        }
        catch (Exception e)
        {
            return ValueTask.FromException<IKeyspaceStore>(e);
        }
    }

    /// <summary>Closes the database if this store opened it.</summary>
    public void Dispose()
    {
        if (_ownsDatabase)
        {
            Database.Dispose();
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private EmbeddedKeyspace Wrap(Keyspace keyspace) => _keyspaces.GetOrAdd(keyspace.Name, static (_, k) => new EmbeddedKeyspace(k), keyspace);
}
