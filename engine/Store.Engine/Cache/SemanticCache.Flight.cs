using System.Collections.Concurrent;

namespace Store.Cache;

public sealed partial class SemanticCache
{
    private readonly ConcurrentDictionary<FlightKey, Task<CacheValue>> _flights = new();

    /// <inheritdoc/>
    public async ValueTask<CacheFetchResult> GetOrCreateAsync(CacheQuery query, Func<CancellationToken, ValueTask<CacheValue>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        CacheLookupResult lookup = Lookup(query);
        if (lookup.IsHit)
        {
            return new CacheFetchResult(CacheFetchSource.Cache, lookup.Response, lookup.Metadata, lookup);
        }

        var key = new FlightKey(query.Partition.Key, lookup.Category, PromptKey.Of(query.Prompt));
        var flight = new TaskCompletionSource<CacheValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            if (_flights.TryGetValue(key, out Task<CacheValue>? running))
            {
                CacheValue shared = await running.WaitAsync(cancellationToken).ConfigureAwait(false);
                return new CacheFetchResult(CacheFetchSource.SharedFactory, shared.Response, shared.Metadata, lookup);
            }

            if (_flights.TryAdd(key, flight.Task))
            {
                break;
            }
        }

        try
        {
            // A flight that ended between our lookup and our claim has stored its answer: look again.
            CacheLookupResult again = lookup.Status == CacheLookupStatus.Bypassed ? lookup : Lookup(query);
            if (again.IsHit)
            {
                flight.SetResult(new CacheValue(again.Response) { Metadata = again.Metadata, Store = false });
                return new CacheFetchResult(CacheFetchSource.Cache, again.Response, again.Metadata, again);
            }

            CacheValue value = await factory(cancellationToken).ConfigureAwait(false);
            if (value.Store)
            {
                Store(new CacheWrite(query.Partition, query.Category, query.Prompt, query.Vector, value.Response) { Metadata = value.Metadata, Ttl = value.Ttl });
            }

            flight.SetResult(value);
            return new CacheFetchResult(CacheFetchSource.Factory, value.Response, value.Metadata, lookup);
        }
        catch (Exception e)
        {
            flight.TrySetException(e);
            _ = flight.Task.Exception; // observed here, whether or not anyone else waited
            throw;
        }
        finally
        {
            _flights.TryRemove(new KeyValuePair<FlightKey, Task<CacheValue>>(key, flight.Task));
        }
    }

    /// <summary>What makes two misses the same request: partition, category and normalized prompt.</summary>
    private readonly record struct FlightKey(string PartitionKey, string Category, UInt128 Prompt);
}
