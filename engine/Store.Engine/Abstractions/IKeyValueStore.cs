namespace Store;

/// <summary>
/// A key-value store, embedded (<see cref="EmbeddedStore"/>) or remote (<c>Store.Client.StoreClient</c>):
/// code written against this interface moves between the two by changing how the store is opened.
/// Thread-safe.
/// </summary>
public interface IKeyValueStore : IAsyncDisposable
{
    /// <summary>The keyspace named <c>default</c>, which always exists.</summary>
    IKeyspaceStore Default { get; }

    /// <summary>
    /// Returns the keyspace named <paramref name="name"/>, creating it durably first when
    /// <paramref name="create"/> is true.
    /// </summary>
    /// <exception cref="KeyspaceNotFoundException">The keyspace does not exist and <paramref name="create"/> is false.</exception>
    /// <exception cref="ArgumentException">The name is empty, too long, has control characters or is reserved.</exception>
    ValueTask<IKeyspaceStore> GetKeyspaceAsync(string name, bool create = false, CancellationToken cancellationToken = default);
}
