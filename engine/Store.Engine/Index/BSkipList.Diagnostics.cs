namespace Store.Index;

/// <summary>Node and entry counts per level, from <see cref="BSkipList.Inspect"/>.</summary>
/// <param name="NodesPerLevel">Live nodes per level, heads included.</param>
/// <param name="EntriesPerLevel">Entries per level (level 0: keys).</param>
/// <param name="ArrayBytes">Bytes held by node arrays (entries, arenas, low fences), excluding object headers.</param>
public sealed record BSkipListShape(long[] NodesPerLevel, long[] EntriesPerLevel, long ArrayBytes);

public sealed partial class BSkipList
{
    /// <summary>
    /// Walks every level and checks the structural invariants: entries strictly increasing and
    /// inside their node's fences, cached next fences right, every routing entry pointing at a
    /// live node fenced at its key that holds the key first, and key heights matching the levels
    /// they appear on. Call it only when no write is in flight (tests, tools).
    /// </summary>
    /// <exception cref="InvalidOperationException">An invariant is broken; the message says which.</exception>
    public BSkipListShape Inspect()
    {
        int levels = _heads.Length;
        var nodes = new long[levels];
        var entries = new long[levels];
        long bytes = 0;
        var key = new byte[MaxKeyLength];
        var previous = new byte[MaxKeyLength];
        for (int level = 0; level < levels; level++)
        {
            for (BSkipNode? node = _heads[level]; node is not null; node = node.Next)
            {
                nodes[level]++;
                entries[level] += node.Count;
                bytes += (node.Slots.Length * 8L) + ((node.Children?.Length ?? 0) * 8L)
                    + (node.Arena?.Length ?? 0) + (node.LowSuffix?.Length ?? 0);
                CheckNode(node, level, key, previous);
            }
        }

        if (entries[0] != Count)
        {
            Fail($"level 0 holds {entries[0]} keys but Count is {Count}");
        }

        return new BSkipListShape(nodes, entries, bytes);
    }

    private void CheckNode(BSkipNode node, int level, byte[] key, byte[] previous)
    {
        if (node.Dead || (node.Version & 1) != 0)
        {
            Fail($"level {level}: a linked node is dead or locked");
        }

        if (node.Level != level || (level > 0 && node.Down is null))
        {
            Fail($"level {level}: node has level {node.Level} or lacks its down link");
        }

        BSkipNode? next = node.Next;
        if (next is not null && node.NextLowPrefix != next.LowPrefix)
        {
            Fail($"level {level}: cached next fence differs from the next node's fence");
        }

        int previousLength = -1;
        for (int i = 0; i < node.Count; i++)
        {
            int length = node.KeyLength(i);
            node.CopyKey(i, key);
            ReadOnlySpan<byte> k = key.AsSpan(0, length);
            ulong prefix = KeyOrder.Prefix(k);
            if (previousLength >= 0 && previous.AsSpan(0, previousLength).SequenceCompareTo(k) >= 0)
            {
                Fail($"level {level}: entries out of order");
            }

            if (!node.LowAtMost(prefix, k) || (next is not null && next.LowAtMost(prefix, k)))
            {
                Fail($"level {level}: entry outside its node's fences");
            }

            int height = HeightOf(k);
            if (height < level)
            {
                Fail($"level {level}: key of height {height} found on this level");
            }

            if (height > level && (i != 0 || !node.LowEquals(prefix, k)))
            {
                Fail($"level {level}: key below its top level does not head its node");
            }

            if (level > 0)
            {
                BSkipNode? child = node.Children![i];
                if (child is null || child.Dead || !child.LowEquals(prefix, k) || child.Count == 0 || child.CompareEntry(0, prefix, k) != 0)
                {
                    Fail($"level {level}: routing entry does not point at a live node headed by its key");
                }
            }

            k.CopyTo(previous);
            previousLength = length;
        }
    }

    private static void Fail(string what) => throw new InvalidOperationException("B-skiplist invariant broken: " + what + ".");
}
