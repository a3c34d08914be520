namespace Store.Vectors;

internal sealed partial class HnswGraph
{
    private const int MaxRepairRounds = 8;

    /// <summary>
    /// Makes every node findable again: on the bottom layer every live node is reachable from the entry
    /// point, and the entry point is reachable from every node a search can land on after the upper
    /// layers (levels above 0), so a search wide enough sees every live node. Inserts keep a node's link
    /// list to the best few by the neighbour heuristic, and a node whose incoming links were all pruned
    /// that way (likelier as deleted nodes pile up, as in a SPANN head graph under splits) is cut off
    /// for good. Each cut-off node gets a link from (or to) its nearest connected node, one with room
    /// if there is one, else in place of that node's farthest link; rounds repeat until nothing is cut
    /// off. Walks every link (O(nodes x M0)). The caller keeps inserts and other repairs out; searches
    /// may run meanwhile. Returns the links added.
    /// </summary>
    public int RepairReachability()
    {
        if (_entry is not { } entry)
        {
            return 0;
        }

        int added = 0;
        for (int round = 0; round < MaxRepairRounds; round++)
        {
            int before = added;
            int count = NodeCount;
            var reached = new bool[count];
            var queue = new int[count];
            WalkForward(entry.Id, reached, queue);
            for (int u = 0; u < count; u++)
            {
                if (!reached[u] && !IsDeleted(u))
                {
                    int from = NearestMarked(u, reached, exclude: u);
                    if (from >= 0)
                    {
                        AddBottomLink(from, u);
                        added++;
                        WalkForward(u, reached, queue);
                    }
                }
            }

            var reaches = new bool[count];
            (int[] starts, int[] sources) = ReverseBottomLinks(count);
            WalkBackward(entry.Id, reaches, queue, starts, sources);
            for (int u = 0; u < count; u++)
            {
                if (!reaches[u] && LevelOf(u) > 0)
                {
                    int to = NearestMarked(u, reaches, exclude: u);
                    if (to >= 0)
                    {
                        AddBottomLink(u, to);
                        added++;
                        WalkBackward(u, reaches, queue, starts, sources);
                    }
                }
            }

            if (added == before)
            {
                break;
            }
        }

        return added;
    }

    /// <summary>
    /// Diagnostics and tests: the live nodes the bottom layer cannot reach from the entry point, and the
    /// nodes above level 0 (where a search may land) from which it cannot reach the entry point.
    /// </summary>
    internal (List<int> Unreachable, List<int> Stranded) FindCutOff()
    {
        var unreachable = new List<int>();
        var stranded = new List<int>();
        if (_entry is not { } entry)
        {
            return (unreachable, stranded);
        }

        int count = NodeCount;
        var reached = new bool[count];
        var reaches = new bool[count];
        var queue = new int[count];
        WalkForward(entry.Id, reached, queue);
        (int[] starts, int[] sources) = ReverseBottomLinks(count);
        WalkBackward(entry.Id, reaches, queue, starts, sources);
        for (int id = 0; id < count; id++)
        {
            if (!reached[id] && !IsDeleted(id))
            {
                unreachable.Add(id);
            }

            if (!reaches[id] && LevelOf(id) > 0)
            {
                stranded.Add(id);
            }
        }

        return (unreachable, stranded);
    }

    /// <summary>
    /// Diagnostics and tests: the live nodes, other than the entry point, that no bottom-layer link points
    /// at (counted from the links themselves, not from the kept in-degrees).
    /// </summary>
    internal List<int> FindUnlinked()
    {
        int count = NodeCount;
        int[] incoming = CountIncomingLinks(count);
        int entry = _entry?.Id ?? -1;
        return [.. Enumerable.Range(0, count).Where(id => id != entry && !IsDeleted(id) && incoming[id] == 0)];
    }

    /// <summary>Tests: drops every bottom-layer link from -> to for which <paramref name="drop"/> says so (the way pruning can).</summary>
    internal void DropBottomLinksForTest(Func<int, int, bool> drop)
    {
        for (int node = 0; node < NodeCount; node++)
        {
            lock (_locks[node & (LockStripes - 1)])
            {
                Span<int> links = Links(node, 0);
                int kept = 0;
                for (int i = 1; i <= links[0]; i++)
                {
                    if (!drop(node, links[i]))
                    {
                        links[++kept] = links[i];
                    }
                    else
                    {
                        Interlocked.Decrement(ref InDegree(links[i]));
                    }
                }

                Volatile.Write(ref links[0], kept);
            }
        }
    }

    /// <summary>Marks what the bottom layer reaches from <paramref name="start"/> (marked nodes are not walked again).</summary>
    private void WalkForward(int start, bool[] marked, int[] queue)
    {
        int head = 0, tail = 0;
        marked[start] = true;
        queue[tail++] = start;
        while (head < tail)
        {
            Span<int> links = Links(queue[head++], 0);
            int n = Math.Min(Volatile.Read(ref links[0]), links.Length - 1);
            for (int i = 1; i <= n; i++)
            {
                int next = links[i];
                if ((uint)next < (uint)marked.Length && !marked[next])
                {
                    marked[next] = true;
                    queue[tail++] = next;
                }
            }
        }
    }

    /// <summary>Marks every node from which the bottom layer reaches <paramref name="target"/>, through the reversed links.</summary>
    private static void WalkBackward(int target, bool[] marked, int[] queue, int[] starts, int[] sources)
    {
        int head = 0, tail = 0;
        marked[target] = true;
        queue[tail++] = target;
        while (head < tail)
        {
            int node = queue[head++];
            for (int i = starts[node]; i < starts[node + 1]; i++)
            {
                int source = sources[i];
                if (!marked[source])
                {
                    marked[source] = true;
                    queue[tail++] = source;
                }
            }
        }
    }

    /// <summary>How many bottom-layer links point at each of the first <paramref name="count"/> nodes.</summary>
    private int[] CountIncomingLinks(int count)
    {
        var incoming = new int[count];
        for (int node = 0; node < count; node++)
        {
            Span<int> links = Links(node, 0);
            for (int i = 1; i <= links[0]; i++)
            {
                if ((uint)links[i] < (uint)count)
                {
                    incoming[links[i]]++;
                }
            }
        }

        return incoming;
    }

    /// <summary>The bottom layer's links reversed, compactly: the nodes linking to n are sources[starts[n]..starts[n+1]].</summary>
    private (int[] Starts, int[] Sources) ReverseBottomLinks(int count)
    {
        int[] incoming = CountIncomingLinks(count);
        var starts = new int[count + 1];
        for (int n = 0; n < count; n++)
        {
            starts[n + 1] = starts[n] + incoming[n];
        }

        var sources = new int[starts[count]];
        var filled = new int[count];
        for (int node = 0; node < count; node++)
        {
            Span<int> links = Links(node, 0);
            for (int i = 1; i <= links[0]; i++)
            {
                int target = links[i];
                if ((uint)target < (uint)count)
                {
                    sources[starts[target] + filled[target]++] = node;
                }
            }
        }

        return (starts, sources);
    }

    /// <summary>
    /// The marked node nearest node <paramref name="id"/> (other than <paramref name="exclude"/>), through a
    /// search from the entry point, else by a scan of every node; prefers one of the nearest few whose
    /// bottom list has room. -1 if no node is marked.
    /// </summary>
    private int NearestMarked(int id, bool[] marked, int exclude)
    {
        int width = Math.Max(Options.EfConstruction, M0);
        SearchScratch scratch = SearchScratch.Current;
        (float[] distances, int[] ids) = scratch.Buffers(width);
        EntryPoint entry = _entry!;
        int found = SearchLayer(_codes[id], entry.Id, Distance(id, entry.Id), width, 0, scratch, distances, ids, skipDeleted: false);
        int nearest = -1;
        for (int i = 0; i < found; i++)
        {
            int candidate = ids[i];
            if (candidate == exclude || (uint)candidate >= (uint)marked.Length || !marked[candidate])
            {
                continue;
            }

            nearest = nearest < 0 ? candidate : nearest;
            if (Volatile.Read(ref Links(candidate, 0)[0]) < M0)
            {
                return candidate;
            }
        }

        if (nearest >= 0)
        {
            return nearest;
        }

        float best = float.MaxValue;
        for (int node = 0; node < marked.Length; node++)
        {
            if (node != exclude && marked[node] && Distance(id, node) is var d && d < best)
            {
                best = d;
                nearest = node;
            }
        }

        return nearest;
    }

    /// <summary>Adds the bottom-layer link <paramref name="from"/> -> <paramref name="to"/>: appended if there is room, else in place of the farthest link.</summary>
    private void AddBottomLink(int from, int to)
    {
        lock (_locks[from & (LockStripes - 1)])
        {
            Span<int> links = Links(from, 0);
            int count = links[0];
            if (links[1..(count + 1)].Contains(to))
            {
                return;
            }

            Interlocked.Increment(ref InDegree(to));
            if (count < M0)
            {
                links[count + 1] = to;
                Volatile.Write(ref links[0], count + 1);
                return;
            }

            int farthest = 1;
            float farthestDistance = -1;
            for (int i = 1; i <= count; i++)
            {
                float d = Distance(from, links[i]);
                if (d > farthestDistance)
                {
                    farthestDistance = d;
                    farthest = i;
                }
            }

            Interlocked.Decrement(ref InDegree(links[farthest]));
            Volatile.Write(ref links[farthest], to);
        }
    }
}
