using System.Collections.Concurrent;
using System.Text;
using Store.Cache;

namespace Store.Client;

public sealed partial class RemoteSemanticCache
{
    private readonly ConcurrentDictionary<FlightKey, Task<CacheValue>> _flights = new();

    /// <inheritdoc/>
    /// <remarks>
    /// Lookup, then on a miss (and a second lookup once the flight is claimed) the factory and a store, as
    /// the embedded cache does. Concurrent misses of the
    /// same partition, category and prompt (trimmed, whitespace runs collapsed) share one factory call among
    /// the callers of this instance; callers in other processes each run their own.
    /// </remarks>
    public async ValueTask<CacheFetchResult> GetOrCreateAsync(CacheQuery query, Func<CancellationToken, ValueTask<CacheValue>> factory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        CacheLookupResult lookup = await LookupAsync(query, cancellationToken).ConfigureAwait(false);
        if (lookup.IsHit)
        {
            return new CacheFetchResult(CacheFetchSource.Cache, lookup.Response, lookup.Metadata, lookup);
        }

        var key = new FlightKey(query.Partition.Key, lookup.Category, Normalize(query.Prompt));
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
            CacheLookupResult again = lookup.Status == CacheLookupStatus.Bypassed ? lookup : await LookupAsync(query, cancellationToken).ConfigureAwait(false);
            if (again.IsHit)
            {
                flight.SetResult(new CacheValue(again.Response) { Metadata = again.Metadata, Store = false });
                return new CacheFetchResult(CacheFetchSource.Cache, again.Response, again.Metadata, again);
            }

            CacheValue value = await factory(cancellationToken).ConfigureAwait(false);
            if (value.Store)
            {
                await StoreAsync(new CacheWrite(query.Partition, query.Category, query.Prompt, query.Vector, value.Response) { Metadata = value.Metadata, Ttl = value.Ttl }, cancellationToken).ConfigureAwait(false);
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

    /// <summary>The prompt trimmed with whitespace runs collapsed to one space (the flight key only; the server normalizes on its own).</summary>
    private static string Normalize(string prompt)
    {
        var text = new StringBuilder(prompt.Length);
        bool space = false;
        foreach (char c in prompt.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>What makes two misses the same request here: partition, category and normalized prompt.</summary>
    private readonly record struct FlightKey(string PartitionKey, string Category, string Prompt);
}
