namespace Store.Bench.Peers;

/// <summary>
/// The classic concurrent skiplist baseline, one key per node: the lazy skiplist of Herlihy, Lev,
/// Luchangco and Shavit (2006). Lookups and scans are wait-free (no locks, no writes); inserts and
/// removes find predecessors optimistically, lock them bottom-up, validate and link or unlink.
/// A node is in the set once <see cref="ClassicSkipListNode.FullyLinked"/> and until
/// <see cref="ClassicSkipListNode.Marked"/>. Keys compare lexicographically as unsigned bytes.
/// Replacing the value of a present key locks only that node, so it is ordered with its removal.
/// </summary>
internal sealed partial class ClassicSkipList
{
    /// <summary>Most levels a node can have (levels 0..31).</summary>
    public const int MaxHeight = 32;

    private readonly ClassicSkipListNode _head = new(null, 0, MaxHeight - 1);

    /// <summary>Levels that may hold nodes: a search starts there. Only grows, raised before a taller node is linked.</summary>
    private int _height = 1;

    public bool TryGetValue(ReadOnlySpan<byte> key, out long value)
    {
        var node = FindNode(key, out _);
        if (node is not null && node.FullyLinked)
        {
            value = Volatile.Read(ref node.Value);
            if (!node.Marked)
            {
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>Visits up to <paramref name="maxCount"/> present keys &gt;= <paramref name="fromInclusive"/> along level 0.</summary>
    public int ScanFrom(ReadOnlySpan<byte> fromInclusive, int maxCount, ref long checksum)
    {
        var node = FindNode(fromInclusive, out var successor) ?? successor;
        int visited = 0;
        while (node is not null && visited < maxCount)
        {
            if (node.FullyLinked)
            {
                long value = Volatile.Read(ref node.Value);
                if (!node.Marked)
                {
                    checksum = ScanChecksum.Fold(checksum, node.Key!.Length, value);
                    visited++;
                }
            }

            node = Volatile.Read(ref node.Next[0]);
        }

        return visited;
    }

    /// <summary>Number of present keys; walks level 0 (O(n), for checks only).</summary>
    public long Count
    {
        get
        {
            long count = 0;
            for (var node = Volatile.Read(ref _head.Next[0]); node is not null; node = Volatile.Read(ref node.Next[0]))
            {
                if (node.FullyLinked && !node.Marked)
                {
                    count++;
                }
            }

            return count;
        }
    }

    private static int Compare(ClassicSkipListNode node, ReadOnlySpan<byte> key) => node.Key.AsSpan().SequenceCompareTo(key);

    /// <summary>
    /// The node holding <paramref name="key"/> (present or not), else null and the first node above the
    /// key at level 0. A node already compared at a higher level is not compared again.
    /// </summary>
    private ClassicSkipListNode? FindNode(ReadOnlySpan<byte> key, out ClassicSkipListNode? successor)
    {
        var pred = _head;
        ClassicSkipListNode? known = null;
        for (int level = Volatile.Read(ref _height) - 1; level >= 0; level--)
        {
            var curr = Volatile.Read(ref pred.Next[level]);
            while (curr is not null && curr != known)
            {
                int order = Compare(curr, key);
                if (order == 0)
                {
                    successor = null;
                    return curr;
                }

                if (order > 0)
                {
                    break;
                }

                pred = curr;
                curr = Volatile.Read(ref pred.Next[level]);
            }

            known = curr;
        }

        successor = known;
        return null;
    }

    /// <summary>
    /// Fills predecessors and successors of <paramref name="key"/> at levels 0..<paramref name="top"/>;
    /// returns the highest level where the key was found, or -1.
    /// </summary>
    private int Find(ReadOnlySpan<byte> key, int top, ref NodeLevels preds, ref NodeLevels succs)
    {
        int found = -1;
        var pred = _head;
        ClassicSkipListNode? known = null;
        int knownOrder = 1;
        for (int level = top; level >= 0; level--)
        {
            var curr = Volatile.Read(ref pred.Next[level]);
            while (curr is not null)
            {
                int order = curr == known ? knownOrder : Compare(curr, key);
                if (order >= 0)
                {
                    known = curr;
                    knownOrder = order;
                    if (order == 0 && found < 0)
                    {
                        found = level;
                    }

                    break;
                }

                pred = curr;
                curr = Volatile.Read(ref pred.Next[level]);
            }

            preds[level] = pred;
            succs[level] = curr;
        }

        return found;
    }
}
