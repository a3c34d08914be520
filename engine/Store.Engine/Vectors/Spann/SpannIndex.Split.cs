using System.Numerics.Tensors;

namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    [ThreadStatic]
    private static ListEntries? _threadEntries;

    /// <summary>
    /// LIRE's split of an oversized list (SPFresh section 4): stale and deleted entries are dropped; if
    /// the live ones still exceed MaxPostingVectors they are cut in two by 2-means, each half gets a new
    /// head (the live vector nearest its mean, routing only) linked into the head graph, and the old head
    /// leaves the graph. Then the reassignment the split calls for (<see cref="Reassign"/>).
    /// </summary>
    internal void Split(int head)
    {
        ListEntries entries = _threadEntries ??= new ListEntries();
        int codeSize = Space.CodeSize;
        byte[] oldCode = HeadCodes[head].ToArray();
        int newA, newB;
        int[] side;
        lock (LockOf(head))
        {
            PostingList? list = ListOf(head);
            if (list is null || list.Count <= Options.MaxPostingVectors)
            {
                return;
            }

            ReadList(head, list, entries);
            int live = KeepLive(entries);
            if (live <= Options.MaxPostingVectors)
            {
                // Garbage collection is enough: rewrite the list with its live entries.
                PostingList compact = WriteList(head, entries.Ids.AsSpan(0, live), entries.Versions.AsSpan(0, live), entries.Codes.AsSpan(0, live * codeSize));
                PublishList(head, compact);
                FreeBlocks(list);
                return;
            }

            side = TwoMeans(Space, entries, live, out int nearestA, out int nearestB);
            // Only this thread adds heads, so the next numbers are known: each half is written under its
            // head's number and published before the head is linked into the graph (where inserts find it).
            newA = HeadCount;
            AddHead(entries.CodeAt(nearestA), -1, WritePart(newA, entries, side, 0, live));
            newB = HeadCount;
            AddHead(entries.CodeAt(nearestB), -1, WritePart(newB, entries, side, 1, live));

            // The old head's own vector (if it stands for one) now needs a place in the lists.
            int headVector = HeadVectorOf(head);
            if (headVector >= 0 && Versions.IsLive(headVector))
            {
                Place(headVector, Versions[headVector], oldCode, exclude: head);
            }

            Graph.MarkDeleted(head);
            PublishList(head, null);
            FreeBlocks(list);
        }

        Maintenance.CountSplit();
        Reassign(head, oldCode, newA, newB, entries, side);
    }

    /// <summary>
    /// The two reassignment conditions of LIRE (SPFresh section 4.2) after old head o became A and B:
    /// a vector v of the split list moves if d(v, o) &lt;= d(v, its new head) (it may now be nearer another
    /// head); a vector v in the lists of the ReassignHeads heads nearest o, and not in o's list, moves if
    /// d(v, A or B) &lt;= d(v, o).
    /// A moving vector's version is bumped (compare-and-swap: skipped if it changed meanwhile), so every
    /// old replica turns stale, and it is placed again by the RNG rule.
    /// </summary>
    private void Reassign(int oldHead, byte[] oldCode, int newA, int newB, ListEntries split, int[] side)
    {
        ReadOnlySpan<byte> codeA = HeadCodes[newA];
        ReadOnlySpan<byte> codeB = HeadCodes[newB];
        var moving = new List<(int Id, byte Version, byte[] Code, int Home)>();
        var seen = new HashSet<int>();
        for (int i = 0; i < side.Length; i++)
        {
            ReadOnlySpan<byte> code = split.CodeAt(i);
            float toNew = Space.Distance(code, side[i] == 0 ? codeA : codeB);
            if (Space.Distance(code, oldCode) <= toNew && seen.Add(split.Ids[i]))
            {
                moving.Add((split.Ids[i], split.Versions[i], code.ToArray(), side[i] == 0 ? newA : newB));
            }
        }

        // The split list's vectors already have their replica in A or B, and condition 1 judged them;
        // their replicas in neighbouring lists must not move them again by condition 2.
        foreach (int id in split.Ids.AsSpan(0, side.Length))
        {
            seen.Add(id);
        }

        int neighbours = Math.Min(Options.ReassignHeads, Math.Max(1, LiveHeadCount));
        if (neighbours > 0)
        {
            var distances = new float[neighbours];
            var heads = new int[neighbours];
            int found = Graph.Search(oldCode, Math.Max(neighbours, Options.HeadGraph.EfSearch), distances, heads);
            var entries = new ListEntries();
            for (int n = 0; n < found; n++)
            {
                int h = heads[n];
                if (h == newA || h == newB || h == oldHead || ListOf(h) is not { } list)
                {
                    continue;
                }

                ReadList(h, list, entries);
                for (int i = 0; i < entries.Count; i++)
                {
                    int id = entries.Ids[i];
                    if (entries.Versions[i] != Versions[id] || seen.Contains(id))
                    {
                        continue;
                    }

                    ReadOnlySpan<byte> code = entries.CodeAt(i);
                    float toOld = Space.Distance(code, oldCode);
                    if ((Space.Distance(code, codeA) <= toOld || Space.Distance(code, codeB) <= toOld) && seen.Add(id))
                    {
                        moving.Add((id, entries.Versions[i], code.ToArray(), -1));
                    }
                }
            }
        }

        // A candidate moves only if the RNG rule now places it differently where it matters: a vector of
        // the split list whose choice no longer includes its new head, or a neighbour's vector whose
        // choice now includes A or B (SPFresh checks the same before it reassigns).
        UpdateScratch scratch = _threadScratch ??= new UpdateScratch();
        int moved = 0;
        foreach ((int id, byte version, byte[] code, int home) in moving)
        {
            int chosen = SelectHeads(code, -1, scratch);
            ReadOnlySpan<int> picks = scratch.Chosen.AsSpan(0, chosen);
            bool move = home >= 0 ? !picks.Contains(home) : picks.Contains(newA) || picks.Contains(newB);
            if (!move || chosen == 0)
            {
                continue;
            }

            int next = Versions.TryBump(id, version);
            if (next < 0)
            {
                continue; // deleted or moved meanwhile
            }

            int written = 0;
            foreach (int head in picks.ToArray())
            {
                written += Append(head, id, (byte)next, code) ? 1 : 0;
            }

            if (written == 0)
            {
                Place(id, (byte)next, code, exclude: -1);
            }

            moved++;
        }

        Maintenance.CountReassigned(moved);
    }

    /// <summary>
    /// Merges a list that fell below MergeThreshold live vectors (it had more entries when written): the
    /// head leaves the graph and its live vectors (and the head's own vector) are placed again among the
    /// remaining heads with a new version.
    /// </summary>
    internal void TryMerge(int head)
    {
        PostingList? list = ListOf(head);
        if (list is null || list.Count == 0 || list.Count > 4 * Options.MergeThreshold || LiveHeadCount <= 1)
        {
            return;
        }

        ListEntries entries = _threadEntries ??= new ListEntries();
        lock (LockOf(head))
        {
            list = ListOf(head);
            if (list is null)
            {
                return;
            }

            ReadList(head, list, entries);
            int live = KeepLive(entries);
            if (live >= Options.MergeThreshold || live == list.Count)
            {
                return; // big enough, or never lost an entry: lists the build made small stay
            }

            for (int i = 0; i < live; i++)
            {
                int next = Versions.TryBump(entries.Ids[i], entries.Versions[i]);
                if (next >= 0)
                {
                    Place(entries.Ids[i], (byte)next, entries.CodeAt(i), exclude: head);
                }
            }

            int headVector = HeadVectorOf(head);
            if (headVector >= 0 && Versions.IsLive(headVector))
            {
                Place(headVector, Versions[headVector], HeadCodes[head], exclude: head);
            }

            Graph.MarkDeleted(head);
            PublishList(head, null);
            FreeBlocks(list);
            Maintenance.CountReassigned(live);
        }

        Maintenance.CountMerge();
    }

    /// <summary>Keeps the live entries (version byte current, first replica of an id) at the front; returns their count.</summary>
    private int KeepLive(ListEntries entries)
    {
        int codeSize = Space.CodeSize;
        int live = 0;
        var seen = new HashSet<int>();
        for (int i = 0; i < entries.Count; i++)
        {
            int id = entries.Ids[i];
            if (entries.Versions[i] != Versions[id] || !seen.Add(id))
            {
                continue;
            }

            if (live != i)
            {
                entries.Ids[live] = id;
                entries.Versions[live] = entries.Versions[i];
                entries.Codes.AsSpan(i * codeSize, codeSize).CopyTo(entries.Codes.AsSpan(live * codeSize));
            }

            live++;
        }

        return live;
    }

    private PostingList WritePart(int head, ListEntries entries, int[] side, int part, int live)
    {
        int codeSize = Space.CodeSize;
        var ids = new List<int>();
        var versions = new List<byte>();
        var codes = new byte[live * codeSize];
        for (int i = 0; i < live; i++)
        {
            if (side[i] == part)
            {
                entries.CodeAt(i).CopyTo(codes.AsSpan(ids.Count * codeSize));
                ids.Add(entries.Ids[i]);
                versions.Add(entries.Versions[i]);
            }
        }

        return WriteList(head, [.. ids], [.. versions], codes.AsSpan(0, ids.Count * codeSize));
    }

    private void FreeBlocks(PostingList list)
    {
        foreach (int block in list.Blocks)
        {
            Store.Free(block);
        }
    }

    /// <summary>
    /// 2-means over the first <paramref name="live"/> entries (decoded to floats; seeds: the entry farthest
    /// from the first, and the one farthest from that; a few Lloyd rounds). Returns the entries nearest
    /// the two means (the new heads) and each entry's side: the nearer of those two heads.
    /// </summary>
    internal static int[] TwoMeans(VectorSpace space, ListEntries entries, int live, out int nearestA, out int nearestB)
    {
        int dimension = space.Dimension;
        var data = new float[live * dimension];
        for (int i = 0; i < live; i++)
        {
            space.Decode(entries.CodeAt(i), data.AsSpan(i * dimension, dimension));
        }

        int FarthestFrom(int from)
        {
            int best = from;
            float bestDistance = -1;
            for (int i = 0; i < live; i++)
            {
                float d = TensorPrimitives.Distance(data.AsSpan(i * dimension, dimension), data.AsSpan(from * dimension, dimension));
                if (d > bestDistance)
                {
                    bestDistance = d;
                    best = i;
                }
            }

            return best;
        }

        int seedA = FarthestFrom(0);
        int seedB = FarthestFrom(seedA);
        var means = new float[2 * dimension];
        data.AsSpan(seedA * dimension, dimension).CopyTo(means);
        data.AsSpan(seedB * dimension, dimension).CopyTo(means.AsSpan(dimension));
        var side = new int[live];
        var sizes = new int[2];
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < live; i++)
            {
                ReadOnlySpan<float> v = data.AsSpan(i * dimension, dimension);
                side[i] = TensorPrimitives.Distance(v, means.AsSpan(0, dimension)) <= TensorPrimitives.Distance(v, means.AsSpan(dimension, dimension)) ? 0 : 1;
            }

            Array.Clear(means);
            Array.Clear(sizes);
            for (int i = 0; i < live; i++)
            {
                TensorPrimitives.Add(means.AsSpan(side[i] * dimension, dimension), data.AsSpan(i * dimension, dimension), means.AsSpan(side[i] * dimension, dimension));
                sizes[side[i]]++;
            }

            if (sizes[0] == 0 || sizes[1] == 0)
            {
                // Every vector alike: halve the list by position so it still shrinks.
                for (int i = 0; i < live; i++)
                {
                    side[i] = i < live / 2 ? 0 : 1;
                }

                nearestA = 0;
                nearestB = live - 1;
                return side;
            }

            TensorPrimitives.Divide(means.AsSpan(0, dimension), sizes[0], means.AsSpan(0, dimension));
            TensorPrimitives.Divide(means.AsSpan(dimension, dimension), sizes[1], means.AsSpan(dimension, dimension));
        }

        nearestA = -1;
        nearestB = -1;
        float bestA = float.MaxValue, bestB = float.MaxValue;
        for (int i = 0; i < live; i++)
        {
            ReadOnlySpan<float> v = data.AsSpan(i * dimension, dimension);
            float d = TensorPrimitives.Distance(v, means.AsSpan(side[i] * dimension, dimension));
            if (side[i] == 0 && d < bestA)
            {
                bestA = d;
                nearestA = i;
            }
            else if (side[i] == 1 && d < bestB)
            {
                bestB = d;
                nearestB = i;
            }
        }

        // Each vector goes to the nearer of the two new heads, not to its mean's side: the heads are the
        // members nearest the means, and a vector nearer the other head would be moved again right
        // after by the reassignment's first condition (its list's head not among its choices).
        ReadOnlySpan<float> headA = data.AsSpan(nearestA * dimension, dimension);
        ReadOnlySpan<float> headB = data.AsSpan(nearestB * dimension, dimension);
        for (int i = 0; i < live; i++)
        {
            ReadOnlySpan<float> v = data.AsSpan(i * dimension, dimension);
            side[i] = TensorPrimitives.Distance(v, headA) <= TensorPrimitives.Distance(v, headB) ? 0 : 1;
        }

        side[nearestB] = 1; // a copy of head A's vector could tie
        return side;
    }
}
