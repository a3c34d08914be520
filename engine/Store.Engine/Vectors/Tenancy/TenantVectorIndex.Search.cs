namespace Store.Vectors;

public sealed partial class TenantVectorIndex
{
    /// <summary>How many ids ahead a shortlist scan prefetches codes.</summary>
    private const int PrefetchAhead = 4;

    /// <summary>The k nearest vectors <paramref name="tenant"/> may access, nearest first (fewer if it may access fewer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not 1 to <see cref="MaxK"/>.</exception>
    /// <exception cref="ArgumentException">The tenant is not a well-formed tenant id.</exception>
    /// <exception cref="VectorDimensionException">The query's length is not the index's dimension.</exception>
    public VectorMatch[] Search(string tenant, ReadOnlySpan<float> query, int k, TenantSearchOptions? options = null)
    {
        CheckK(k);
        var results = new VectorMatch[k];
        int found = Search(tenant, query, results, options);
        return found == k ? results : results[..found];
    }

    /// <summary>
    /// Writes the up to <c>results.Length</c> (= k) nearest vectors <paramref name="tenant"/> may access into
    /// <paramref name="results"/>, nearest first; returns how many. A tenant the index has never seen gets none.
    /// Best-first over the tree by the distance from the query to each node's centre (in the vectors' space): nodes whose Bloom filter lacks the tenant are skipped,
    /// a node holding the tenant's shortlist is scanned exactly (each id checked against the access model
    /// first), and the search stops once it has measured <see cref="TenantSearchOptions.Candidates"/> ids
    /// and holds k results. Allocates nothing once the thread has searched before.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not 1 to <see cref="MaxK"/>.</exception>
    /// <exception cref="ArgumentException">The tenant is not a well-formed tenant id.</exception>
    /// <exception cref="VectorDimensionException">The query's length is not the index's dimension.</exception>
    public int Search(string tenant, ReadOnlySpan<float> query, Span<VectorMatch> results, TenantSearchOptions? options = null)
    {
        int k = results.Length;
        CheckK(k);
        TenantDirectory.Check(tenant, nameof(tenant));
        int candidates = options?.Candidates ?? _options.SearchCandidates;
        if (candidates < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), candidates, "TenantSearchOptions.Candidates must be at least 1.");
        }

        TenantSearchScratch scratch = TenantSearchScratch.For(Space);
        Space.Encode(query, scratch.Code);
        _lock.EnterReadLock();
        try
        {
            if (!_tenants.TryGet(tenant, out int number))
            {
                return 0;
            }

            return SearchLocked(number, scratch, k, candidates, results);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private int SearchLocked(int tenant, TenantSearchScratch scratch, int k, int candidates, Span<VectorMatch> results)
    {
        ReadOnlySpan<byte> query = scratch.Code.AsSpan(0, Space.CodeSize);
        DistanceHeap top = scratch.Top;
        PriorityQueue<TenantTreeNode, float> frontier = scratch.Frontier;
        top.Clear();
        frontier.Clear();
        frontier.Enqueue(_tree.Root, 0);
        int measured = 0;
        while (frontier.TryDequeue(out TenantTreeNode? node, out _))
        {
            if (node.TryGetShortlist(tenant, out TenantShortlist list))
            {
                ReadOnlySpan<int> listed = list.Slots;
                for (int i = 0; i < Math.Min(PrefetchAhead, listed.Length); i++)
                {
                    _codes.Prefetch(listed[i]);
                }

                for (int i = 0; i < listed.Length; i++)
                {
                    // A shortlist's codes lie anywhere in memory: ask for the one a few ahead while measuring this one.
                    if (i + PrefetchAhead < listed.Length)
                    {
                        _codes.Prefetch(listed[i + PrefetchAhead]);
                    }

                    // The access model decides, not the tree: a stale or false-positive path never yields a result.
                    int slot = listed[i];
                    if (_access.CanAccess(slot, tenant))
                    {
                        top.Offer(Space.Distance(query, _codes[slot]), slot, k);
                        measured++;
                    }
                }

                if (measured >= candidates && top.Count >= k)
                {
                    break;
                }

                continue;
            }

            foreach (TenantTreeNode child in node.Children)
            {
                if (child.Bloom.MayContain(tenant))
                {
                    frontier.Enqueue(child, Space.Distance(query, child.Centroid));
                }
            }
        }

        int found = Math.Min(top.Count, k);
        (float[] distances, int[] slots) = scratch.Buffers(found);
        found = top.DrainAscending(distances.AsSpan(0, found), slots.AsSpan(0, found));
        for (int i = 0; i < found; i++)
        {
            results[i] = new VectorMatch(_externalIds[slots[i]], distances[i]);
        }

        frontier.Clear();
        return found;
    }

    private static void CheckK(int k)
    {
        if (k is < 1 or > MaxK)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be 1 to {MaxK}.");
        }
    }
}
