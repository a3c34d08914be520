namespace Store.Bench.Peers;

/// <summary>Remove of the lazy skiplist: mark the victim under its lock, then unlink it under its predecessors' locks.</summary>
internal sealed partial class ClassicSkipList
{
    public bool TryRemove(ReadOnlySpan<byte> key, out long value)
    {
        NodeLevels preds = default;
        NodeLevels succs = default;
        ClassicSkipListNode? victim = null;
        int top = Volatile.Read(ref _height) - 1;
        while (true)
        {
            int found = Find(key, top, ref preds, ref succs);
            if (victim is null)
            {
                if (found < 0)
                {
                    value = 0;
                    return false;
                }

                var candidate = succs[found]!;
                if (candidate.TopLevel > top)
                {
                    top = candidate.TopLevel;
                    continue;
                }

                if (!candidate.FullyLinked || candidate.TopLevel != found || candidate.Marked)
                {
                    value = 0;
                    return false;
                }

                candidate.Lock();
                if (candidate.Marked)
                {
                    candidate.Unlock();
                    value = 0;
                    return false;
                }

                candidate.Marked = true;
                victim = candidate;
            }

            if (TryUnlink(victim, ref preds))
            {
                value = victim.Value;
                victim.Unlock();
                return true;
            }
        }
    }

    /// <summary>Locks the predecessors of a marked, locked victim, validates, and unlinks it top-down.</summary>
    private static bool TryUnlink(ClassicSkipListNode victim, ref NodeLevels preds)
    {
        int topLevel = victim.TopLevel;
        int highestLocked = -1;
        try
        {
            bool valid = true;
            ClassicSkipListNode? previousPred = null;
            for (int level = 0; valid && level <= topLevel; level++)
            {
                var pred = preds[level]!;
                if (pred != previousPred)
                {
                    pred.Lock();
                    highestLocked = level;
                    previousPred = pred;
                }

                valid = !pred.Marked && pred.Next[level] == victim;
            }

            if (!valid)
            {
                return false;
            }

            for (int level = topLevel; level >= 0; level--)
            {
                Volatile.Write(ref preds[level]!.Next[level], victim.Next[level]);
            }

            return true;
        }
        finally
        {
            UnlockPredecessors(ref preds, highestLocked);
        }
    }

    /// <summary>Unlocks each distinct predecessor of levels 0..<paramref name="highestLocked"/> (equal ones are adjacent).</summary>
    private static void UnlockPredecessors(ref NodeLevels preds, int highestLocked)
    {
        ClassicSkipListNode? previousPred = null;
        for (int level = 0; level <= highestLocked; level++)
        {
            var pred = preds[level]!;
            if (pred != previousPred)
            {
                pred.Unlock();
                previousPred = pred;
            }
        }
    }
}
