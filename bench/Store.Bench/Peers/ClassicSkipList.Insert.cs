namespace Store.Bench.Peers;

/// <summary>Insert and replace of the lazy skiplist.</summary>
internal sealed partial class ClassicSkipList
{
    public bool TryAdd(ReadOnlySpan<byte> key, long value)
    {
        Insert(key, value, replace: false, out bool present, out _);
        return !present;
    }

    /// <summary>
    /// Inserts or replaces; true (and the previous value) if the key was present. A present key is
    /// found by the wait-free search and replaced under its node's lock alone; only a missing (or
    /// half-inserted, or half-removed) key takes the locking insert path.
    /// </summary>
    public bool Upsert(ReadOnlySpan<byte> key, long value, out long previous)
    {
        var existing = FindNode(key, out _);
        if (existing is not null && existing.FullyLinked && TryReplace(existing, value, out previous))
        {
            return true;
        }

        Insert(key, value, replace: true, out bool replaced, out previous);
        return replaced;
    }

    private void Insert(ReadOnlySpan<byte> key, long value, bool replace, out bool present, out long previous)
    {
        int topLevel = LevelRandom.Next(MaxHeight - 1);
        NodeLevels preds = default;
        NodeLevels succs = default;
        ClassicSkipListNode? node = null;
        var spinner = default(SpinWait);
        while (true)
        {
            int found = Find(key, Math.Max(Volatile.Read(ref _height) - 1, topLevel), ref preds, ref succs);
            if (found >= 0)
            {
                var existing = succs[found]!;
                if (!existing.Marked)
                {
                    while (!existing.FullyLinked)
                    {
                        spinner.SpinOnce(sleep1Threshold: -1);
                    }

                    present = true;
                    if (!replace)
                    {
                        previous = Volatile.Read(ref existing.Value);
                        return;
                    }

                    if (TryReplace(existing, value, out previous))
                    {
                        return;
                    }
                }

                spinner.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            node ??= new ClassicSkipListNode(key.ToArray(), value, topLevel);
            if (TryLink(node, ref preds, ref succs))
            {
                present = false;
                previous = 0;
                return;
            }
        }
    }

    private static bool TryReplace(ClassicSkipListNode node, long value, out long previous)
    {
        node.Lock();
        try
        {
            previous = node.Value;
            if (node.Marked)
            {
                return false;
            }

            Volatile.Write(ref node.Value, value);
            return true;
        }
        finally
        {
            node.Unlock();
        }
    }

    /// <summary>Locks the predecessors bottom-up, validates, and links <paramref name="node"/> at every level.</summary>
    private bool TryLink(ClassicSkipListNode node, ref NodeLevels preds, ref NodeLevels succs)
    {
        int topLevel = node.TopLevel;
        int highestLocked = -1;
        try
        {
            bool valid = true;
            ClassicSkipListNode? previousPred = null;
            for (int level = 0; valid && level <= topLevel; level++)
            {
                var pred = preds[level]!;
                var succ = succs[level];
                if (pred != previousPred)
                {
                    pred.Lock();
                    highestLocked = level;
                    previousPred = pred;
                }

                valid = !pred.Marked && (succ is null || !succ.Marked) && pred.Next[level] == succ;
            }

            if (!valid)
            {
                return false;
            }

            RaiseHeight(topLevel + 1);
            for (int level = 0; level <= topLevel; level++)
            {
                node.Next[level] = succs[level];
            }

            for (int level = 0; level <= topLevel; level++)
            {
                Volatile.Write(ref preds[level]!.Next[level], node);
            }

            node.FullyLinked = true;
            return true;
        }
        finally
        {
            UnlockPredecessors(ref preds, highestLocked);
        }
    }

    private void RaiseHeight(int height)
    {
        int current;
        while ((current = Volatile.Read(ref _height)) < height && Interlocked.CompareExchange(ref _height, height, current) != current)
        {
        }
    }
}
