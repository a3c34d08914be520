using System.Runtime.CompilerServices;

namespace Store.Vectors;

/// <summary>
/// The in-degree guard of the bottom layer: every node keeps a count of the links into it, and pruning
/// never drops a node's last one. Without it the neighbour heuristic cuts nodes off (no search returns
/// them, however wide) until the maintenance repair (<see cref="RepairReachability"/>) re-links them.
/// Counts may run ahead of the links (a link is counted before it shows), never behind.
/// </summary>
internal sealed partial class HnswGraph
{
    /// <summary>Bottom-layer links into a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int InDegree(int id) => ref _inDegree[id >> ChunkShift][id & ChunkMask];

    /// <summary>
    /// Settles the in-degrees of a bottom-layer list re-chosen from <paramref name="candidates"/> (its old
    /// links and the new node <paramref name="id"/>) and keeps every link the heuristic dropped that was
    /// its target's last way in: pruning alone would cut that node off from every search until the
    /// maintenance repair (<see cref="RepairReachability"/>) re-linked it. A kept link takes a free place,
    /// else the place of the farthest chosen link whose target has another way in. An old link is
    /// dropped only by winning <see cref="TryReleaseLink"/>, so two lists pruning the same node at once
    /// cannot both drop its last two links. Returns the new length of <paramref name="kept"/>.
    /// </summary>
    private int GuardLastLinks(int id, ReadOnlySpan<int> candidates, Span<int> kept, int n)
    {
        int chosen = n; // kept[..chosen]: the heuristic's choices, each looked at once below
        Span<int> staying = stackalloc int[candidates.Length];
        int stay = 0;
        foreach (int candidate in candidates)
        {
            if (!kept[..chosen].Contains(candidate) && !CanDrop(candidate, id))
            {
                staying[stay++] = candidate;
            }
        }

        int place = chosen; // farthest choice not looked at yet, plus one
        foreach (int candidate in staying[..stay])
        {
            if (n < kept.Length)
            {
                kept[n++] = candidate;
                continue;
            }

            while (place > 0 && !CanDrop(kept[place - 1], id))
            {
                place--;
            }

            if (place > 0)
            {
                kept[--place] = candidate;
            }
            else if (candidate != id)
            {
                Interlocked.Decrement(ref InDegree(candidate)); // every choice is some node's last way in: the repair re-links this one
            }
        }

        if (kept[..n].Contains(id))
        {
            Interlocked.Increment(ref InDegree(id));
        }

        return n;
    }

    /// <summary>
    /// Whether the list being re-chosen may leave out its link to <paramref name="target"/>: the new node
    /// <paramref name="id"/> (not linked yet) if another list already links to it; an old link if
    /// <see cref="TryReleaseLink"/> releases it (which counts the drop).
    /// </summary>
    private bool CanDrop(int target, int id) => target == id ? Volatile.Read(ref InDegree(id)) > 0 : TryReleaseLink(target);

    /// <summary>Counts one bottom-layer link into <paramref name="target"/> as dropped, unless it is its last: false then.</summary>
    private bool TryReleaseLink(int target)
    {
        ref int degree = ref InDegree(target);
        int seen;
        do
        {
            seen = Volatile.Read(ref degree);
            if (seen <= 1)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref degree, seen - 1, seen) != seen);

        return true;
    }

    /// <summary>Tests: the nodes whose kept in-degree differs from the bottom-layer links into them (none once inserts are done).</summary>
    internal List<int> FindInDegreeMismatches()
    {
        int count = NodeCount;
        int[] incoming = CountIncomingLinks(count);
        return [.. Enumerable.Range(0, count).Where(id => InDegree(id) != incoming[id])];
    }

    /// <summary>Counts every bottom-layer link into the in-degrees (a graph just read from its file).</summary>
    private void CountInDegrees()
    {
        int count = NodeCount;
        int[] incoming = CountIncomingLinks(count);
        for (int id = 0; id < count; id++)
        {
            InDegree(id) = incoming[id];
        }
    }
}
