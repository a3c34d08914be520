namespace Store.Vectors;

internal sealed partial class HnswGraph
{
    /// <summary>
    /// The nearest nodes to an encoded query: greedy descent through the upper layers, then a beam of
    /// width max(<paramref name="ef"/>, k) on the bottom one. Deleted nodes are passed through, never
    /// returned. Writes up to <c>ids.Length</c> results nearest first; returns how many.
    /// </summary>
    public int Search(ReadOnlySpan<byte> query, int ef, Span<float> distances, Span<int> ids)
    {
        EntryPoint? entry = _entry;
        if (entry is null || distances.Length == 0)
        {
            return 0;
        }

        SearchScratch scratch = SearchScratch.Current;
        int current = entry.Id;
        float currentDistance = _space.Distance(query, _codes[current]);
        for (int l = entry.Level; l > 0; l--)
        {
            (current, currentDistance) = Greedy(query, current, currentDistance, l);
        }

        int width = Math.Max(ef, distances.Length);
        (float[] foundDistances, int[] foundIds) = scratch.Buffers(width);
        int found = SearchLayer(query, current, currentDistance, width, 0, scratch, foundDistances, foundIds, skipDeleted: true);
        int n = Math.Min(found, distances.Length);
        foundDistances.AsSpan(0, n).CopyTo(distances);
        foundIds.AsSpan(0, n).CopyTo(ids);
        return n;
    }

    /// <summary>Walks a layer to the nearest node reachable by always stepping closer (a beam of one).</summary>
    private (int Id, float Distance) Greedy(ReadOnlySpan<byte> query, int current, float distance, int level)
    {
        bool moved = true;
        while (moved)
        {
            moved = false;
            Span<int> links = Links(current, level);
            int count = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);
            for (int i = 1; i <= count; i++)
            {
                int next = links[i];
                float d = _space.Distance(query, _codes[next]);
                if (d < distance)
                {
                    distance = d;
                    current = next;
                    moved = true;
                }
            }
        }

        return (current, distance);
    }

    /// <summary>
    /// The paper's layer search (its algorithm 2): a best-first walk keeping the <paramref name="ef"/>
    /// nearest nodes seen; stops when the nearest unexpanded candidate is farther than the farthest kept.
    /// Writes the kept nodes nearest first; returns how many.
    /// </summary>
    private int SearchLayer(
        ReadOnlySpan<byte> query, int entry, float entryDistance, int ef, int level, SearchScratch scratch, Span<float> distances, Span<int> ids, bool skipDeleted)
    {
        scratch.Begin(NodeCount);
        DistanceHeap candidates = scratch.Candidates;
        DistanceHeap results = scratch.Results;
        scratch.Visit(entry);
        candidates.Push(entryDistance, entry);
        if (!(skipDeleted && IsDeleted(entry)))
        {
            results.Push(entryDistance, entry);
        }

        while (candidates.Count > 0)
        {
            float nearest = candidates.TopDistance;
            if (results.Count >= ef && nearest > results.TopDistance)
            {
                break;
            }

            int node = candidates.TopId;
            candidates.Pop();
            Span<int> links = Links(node, level);
            int count = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);

            // Start loading every unvisited neighbour's code before measuring any: the codes are
            // scattered over memory, and the loads then overlap instead of missing one by one.
            for (int i = 1; i <= count; i++)
            {
                if (!scratch.IsVisited(links[i]))
                {
                    _codes.Prefetch(links[i]);
                }
            }

            for (int i = 1; i <= count; i++)
            {
                int next = links[i];
                if (!scratch.Visit(next))
                {
                    continue;
                }

                float d = _space.Distance(query, _codes[next]);
                if (results.Count < ef || d < results.TopDistance)
                {
                    candidates.Push(d, next);
                    if (skipDeleted && IsDeleted(next))
                    {
                        continue;
                    }

                    results.Push(d, next);
                    if (results.Count > ef)
                    {
                        results.Pop();
                    }
                }
            }
        }

        return results.DrainAscending(distances, ids);
    }
}
