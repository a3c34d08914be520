using Store.Vectors;

namespace Store.Cache;

internal sealed partial class VectorSlice
{
    /// <summary>
    /// The nearest live entries to an encoded query, nearest first: up to <c>ids.Length</c>. Writes
    /// cosine distances (1 - similarity); returns how many were found.
    /// </summary>
    public int Search(ReadOnlySpan<byte> query, int ef, Span<float> distances, Span<int> ids)
    {
        while (true)
        {
            HnswGraph? graph = Volatile.Read(ref _graph);
            if (graph is not null)
            {
                return graph.Search(query, ef, distances, ids);
            }

            int count = Volatile.Read(ref _count);
            byte[] flat = Volatile.Read(ref _flat);
            if (flat.Length == 0)
            {
                continue; // the graph was published between the two reads
            }

            return Scan(query, flat, count, distances, ids);
        }
    }

    /// <summary>Exact top-k by insertion into the (short) result spans.</summary>
    private int Scan(ReadOnlySpan<byte> query, byte[] flat, int count, Span<float> distances, Span<int> ids)
    {
        int size = _space.CodeSize;
        CachedEntry[] entries = Volatile.Read(ref _entries);
        count = Math.Min(count, flat.Length / size);
        int found = 0;
        int k = distances.Length;
        for (int node = 0; node < count; node++)
        {
            if (entries[node].IsRemoved)
            {
                continue;
            }

            float d = _space.Distance(query, flat.AsSpan(node * size, size));
            if (found == k && d >= distances[k - 1])
            {
                continue;
            }

            int at = found < k ? found++ : k - 1;
            while (at > 0 && distances[at - 1] > d)
            {
                distances[at] = distances[at - 1];
                ids[at] = ids[at - 1];
                at--;
            }

            distances[at] = d;
            ids[at] = node;
        }

        return found;
    }
}
