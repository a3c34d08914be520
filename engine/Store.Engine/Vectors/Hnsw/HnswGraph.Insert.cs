namespace Store.Vectors;

internal sealed partial class HnswGraph
{
    /// <summary>
    /// Links node <paramref name="id"/> (its code already in the store) into the graph. Safe to call
    /// from several threads for different ids; each id once.
    /// </summary>
    public void Insert(int id)
    {
        EnsureNodes(id + 1);
        int level = DrawLevel(id);
        _levels[id >> ChunkShift][id & ChunkMask] = (byte)level;
        if (level > 0)
        {
            _upper[id >> ChunkShift][id & ChunkMask] = new int[level * (M + 1)];
        }

        InterlockedMax(ref _nodeCount, id + 1);
        EntryPoint? entry = _entry;
        if (entry is null)
        {
            lock (_entryLock)
            {
                if (_entry is null)
                {
                    _entry = new EntryPoint(id, level);
                    return;
                }

                entry = _entry;
            }
        }

        ReadOnlySpan<byte> code = _codes[id];
        SearchScratch scratch = SearchScratch.Current;
        int current = entry.Id;
        float currentDistance = _space.Distance(code, _codes[current]);
        for (int l = entry.Level; l > level; l--)
        {
            (current, currentDistance) = Greedy(code, current, currentDistance, l);
        }

        Span<int> chosen = stackalloc int[M0];
        (float[] distances, int[] ids) = scratch.Buffers(Options.EfConstruction);
        for (int l = Math.Min(level, entry.Level); l >= 0; l--)
        {
            int found = SearchLayer(code, current, currentDistance, Options.EfConstruction, l, scratch, distances, ids, skipDeleted: false);
            int max = l == 0 ? M0 : M;
            int count = SelectNeighbours(distances.AsSpan(0, found), ids.AsSpan(0, found), Math.Min(M, max), chosen);
            count = Without(chosen[..count], id); // a concurrent insert that landed on this node may have linked back to it
            SetOwnLinks(id, l, chosen[..count], max);
            for (int i = 0; i < count; i++)
            {
                Connect(chosen[i], id, l, max);
            }

            current = ids[0];
            currentDistance = distances[0];
        }

        if (level > entry.Level)
        {
            lock (_entryLock)
            {
                if (level > _entry!.Level)
                {
                    _entry = new EntryPoint(id, level);
                }
            }
        }
    }

    /// <summary>
    /// Gives the new node <paramref name="id"/> its links on a level. Under its lock and after the links
    /// already there: once the insert linked it on a level above, a concurrent insert can find it, land
    /// on it and link from it on this level before this insert gets here, and writing over that list
    /// would lose the link (and leave its target's in-degree counting a link that is gone).
    /// </summary>
    private void SetOwnLinks(int id, int level, ReadOnlySpan<int> chosen, int max)
    {
        lock (_locks[id & (LockStripes - 1)])
        {
            Span<int> own = Links(id, level);
            int count = own[0];
            foreach (int target in chosen)
            {
                if (count == max)
                {
                    break;
                }

                if (own[1..(count + 1)].Contains(target))
                {
                    continue;
                }

                if (level == 0)
                {
                    // Counted before the link shows: an in-degree may run ahead of the links, never behind.
                    Interlocked.Increment(ref InDegree(target));
                }

                own[++count] = target;
            }

            Volatile.Write(ref own[0], count);
        }
    }

    /// <summary>
    /// Adds a link from <paramref name="node"/> to <paramref name="id"/>; a full list is re-chosen by the
    /// heuristic, and on the bottom layer without dropping any node's last incoming link (<see cref="GuardLastLinks"/>).
    /// </summary>
    private void Connect(int node, int id, int level, int max)
    {
        lock (_locks[node & (LockStripes - 1)])
        {
            Span<int> links = Links(node, level);
            int count = links[0];
            if (count < max)
            {
                if (level == 0)
                {
                    Interlocked.Increment(ref InDegree(id));
                }

                links[count + 1] = id;
                Volatile.Write(ref links[0], count + 1);
                return;
            }

            // Full: keep the best `max` of the current links plus the new one, chosen like an insert's.
            Span<float> distances = stackalloc float[max + 1];
            Span<int> candidates = stackalloc int[max + 1];
            ReadOnlySpan<byte> code = _codes[node];
            for (int i = 0; i < count; i++)
            {
                candidates[i] = links[i + 1];
            }

            candidates[count] = id;
            for (int i = 0; i <= count; i++)
            {
                distances[i] = _space.Distance(code, _codes[candidates[i]]);
            }

            SortByDistance(distances, candidates);
            Span<int> kept = stackalloc int[max];
            int n = SelectNeighbours(distances, candidates, max, kept);
            if (level == 0)
            {
                n = GuardLastLinks(id, candidates, kept, n);
            }

            kept[..n].CopyTo(links[1..]);
            Volatile.Write(ref links[0], n);
        }
    }

    /// <summary>
    /// The paper's neighbour heuristic (its algorithm 4): from candidates sorted nearest first, keep one
    /// only if it is closer to the new node than to every neighbour kept so far, up to <paramref name="max"/>.
    /// Spreads links over directions instead of one dense cluster.
    /// </summary>
    private int SelectNeighbours(ReadOnlySpan<float> distances, ReadOnlySpan<int> candidates, int max, Span<int> chosen)
    {
        int count = 0;
        for (int i = 0; i < candidates.Length && count < max; i++)
        {
            int candidate = candidates[i];
            bool keep = true;
            for (int j = 0; j < count; j++)
            {
                if (Distance(candidate, chosen[j]) < distances[i])
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                chosen[count++] = candidate;
            }
        }

        return count;
    }

    /// <summary>Removes <paramref name="id"/> from <paramref name="ids"/> in place; returns the length left.</summary>
    private static int Without(Span<int> ids, int id)
    {
        int kept = 0;
        foreach (int other in ids)
        {
            if (other != id)
            {
                ids[kept++] = other;
            }
        }

        return kept;
    }

    private static void SortByDistance(Span<float> distances, Span<int> ids) => distances.Sort(ids);

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
