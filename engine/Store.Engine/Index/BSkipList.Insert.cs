namespace Store.Index;

public sealed partial class BSkipList
{
    private enum WriteKind
    {
        Add,
        Upsert,
        Update,
    }

    private enum WriteOutcome
    {
        Inserted,
        Replaced,
        Unchanged,
    }

    /// <summary>Inserts the key if absent; returns false (and changes nothing) if present.</summary>
    public bool TryAdd(ReadOnlySpan<byte> key, long value) =>
        Write(key, value, WriteKind.Add, 0, out _) == WriteOutcome.Inserted;

    /// <summary>Inserts or replaces; returns true and the previous value if the key was present.</summary>
    public bool Upsert(ReadOnlySpan<byte> key, long value, out long previous) =>
        Write(key, value, WriteKind.Upsert, 0, out previous) == WriteOutcome.Replaced;

    /// <summary>Inserts or replaces the value of a key.</summary>
    public void Set(ReadOnlySpan<byte> key, long value) => Write(key, value, WriteKind.Upsert, 0, out _);

    /// <summary>
    /// Replaces the value only if the key is present with value <paramref name="comparand"/>
    /// (compare-and-swap: the KV tier uses it to move a record without losing a racing write).
    /// </summary>
    public bool TryUpdate(ReadOnlySpan<byte> key, long newValue, long comparand) =>
        Write(key, newValue, WriteKind.Update, comparand, out _) == WriteOutcome.Replaced;

    private WriteOutcome Write(ReadOnlySpan<byte> key, long value, WriteKind kind, long comparand, out long previous)
    {
        CheckKey(key);
        ulong prefix = KeyOrder.Prefix(key);
        while (true)
        {
            BSkipNode leaf = LockCovering(DescendTo(0, prefix, key, strict: false), prefix, key);
            int i = leaf.LowerBound(prefix, key, out bool found);
            if (found)
            {
                previous = leaf.ValueAt(i);
                bool write = kind == WriteKind.Upsert || (kind == WriteKind.Update && previous == comparand);
                if (write)
                {
                    leaf.SetValue(i, value);
                }

                leaf.Unlock();
                return write ? WriteOutcome.Replaced : WriteOutcome.Unchanged;
            }

            previous = 0;
            if (kind == WriteKind.Update)
            {
                leaf.Unlock();
                return WriteOutcome.Unchanged;
            }

            int height = HeightOf(key);
            if (height == 0)
            {
                SplitIfFull(ref leaf, ref i);
                leaf.InsertAt(i, prefix, key, value, null);
                leaf.Unlock();
                _count.Add(1);
                return WriteOutcome.Inserted;
            }

            leaf.Unlock();
            if (InsertTall(prefix, key, value, height))
            {
                _count.Add(1);
                return WriteOutcome.Inserted;
            }

            // The key's routing entry appeared meanwhile: a racing insert owns the path. Retry at the leaf.
        }
    }

    /// <summary>Starts a sorted bulk build; the list must be empty and not yet shared with other threads.</summary>
    internal BSkipListBuilder CreateBuilder()
    {
        if (Count != 0)
        {
            throw new InvalidOperationException("A bulk build needs an empty list.");
        }

        return new BSkipListBuilder(this, _heads);
    }

    internal void CountAppended(long keys) => _count.Add(keys);

    /// <summary>
    /// Inserts a key of height &gt; 0: routing entry at its top level, then a promotion split at every
    /// level below so the key heads a node there. Returns false if the key is already present.
    /// </summary>
    private bool InsertTall(ulong prefix, ReadOnlySpan<byte> key, long value, int height)
    {
        RaiseTopLevel(height);
        BSkipNode upper = LockCovering(DescendTo(height, prefix, key, strict: false), prefix, key);
        int slot = upper.LowerBound(prefix, key, out bool found);
        if (found)
        {
            upper.Unlock();
            return false;
        }

        SplitIfFull(ref upper, ref slot);
        BSkipNode start = (slot > 0 ? upper.Children![slot - 1] : upper.Down)!;
        upper.InsertAt(slot, prefix, key, 0, child: null); // child set below, before the unlock
        bool upperIsNew = false;
        BSkipNode? emptied = null;
        List<BSkipNode>? moreEmptied = null;
        for (int level = height - 1; level >= 0; level--)
        {
            BSkipNode x = LockCovering(start, prefix, key);
            BSkipNode current;
            BSkipNode? nextStart;
            if (x.LowEquals(prefix, key))
            {
                // A node fenced at this key survives an earlier life of the key: it heads it again.
                nextStart = x.Down;
                current = x;
                if (current.Count == current.MaxCapacity)
                {
                    SplitAt(current, _capacity / 2).Unlock();
                }

                current.InsertAt(0, prefix, key, value, null);
            }
            else
            {
                int j = x.LowerBound(prefix, key, out _);
                nextStart = level == 0 ? null : j > 0 ? x.Children![j - 1] : x.Down;
                current = PromotionSplit(x, j, prefix, key, value);
                NoteIfEmpty(x, ref emptied, ref moreEmptied); // every entry followed the key
                x.Unlock();
            }

            upper.Children![slot] = current;
            if (upperIsNew)
            {
                upper.Down = current;
            }

            upper.Unlock();
            upperIsNew = current != x;
            upper = current;
            slot = 0;
            start = nextStart!;
        }

        upper.Unlock();
        UnlinkAll(emptied, moreEmptied);
        return true;
    }

    /// <summary>
    /// The paper's promotion split: a new node fenced at the key takes the key and every entry of
    /// <paramref name="x"/> after it. Returns the new node, locked; <paramref name="x"/> stays locked.
    /// </summary>
    private BSkipNode PromotionSplit(BSkipNode x, int at, ulong prefix, ReadOnlySpan<byte> key, long value)
    {
        if (x.Count - at + 1 > _capacity)
        {
            // Only when every entry of a full node follows the key: halve it first.
            SplitAt(x, at + ((x.Count - at) / 2)).Unlock();
        }

        var node = new BSkipNode(x.Level, _capacity, prefix, key.Length,
            key.Length > KeyOrder.PrefixLength ? key[KeyOrder.PrefixLength..] : default);
        node.InsertAt(0, prefix, key, value, null);
        x.MoveTailTo(at, node, 1);
        Link(x, node);
        return node;
    }

    /// <summary>
    /// Makes room for an insert at index <paramref name="i"/> of a locked node: splits a full node
    /// and leaves <paramref name="node"/>/<paramref name="i"/> at the half that takes the key, locked.
    /// Appending to a full node splits at its end, so ascending loads leave nodes nearly full.
    /// </summary>
    private static void SplitIfFull(ref BSkipNode node, ref int i)
    {
        int n = node.Count;
        if (n < node.MaxCapacity)
        {
            return;
        }

        int mid = i >= n ? n - 1 : n / 2;
        BSkipNode right = SplitAt(node, mid);
        if (i > mid)
        {
            node.Unlock();
            node = right;
            i -= mid;
        }
        else
        {
            right.Unlock();
        }
    }

    /// <summary>Horizontal split: entries [mid, count) move to a new right sibling, returned locked.</summary>
    private static BSkipNode SplitAt(BSkipNode node, int mid)
    {
        int length = node.KeyLength(mid);
        Span<byte> low = length <= 256 ? stackalloc byte[256] : new byte[length];
        node.CopyKey(mid, low);
        var right = new BSkipNode(node.Level, node.MaxCapacity, node.PrefixAt(mid), length, length > KeyOrder.PrefixLength ? low[KeyOrder.PrefixLength..length] : default);
        if (node.Children is not null)
        {
            right.Down = node.Children[mid];
        }

        node.MoveTailTo(mid, right, 0);
        Link(node, right);
        return right;
    }

    /// <summary>Links a new node right after <paramref name="left"/> (both locked).</summary>
    private static void Link(BSkipNode left, BSkipNode node)
    {
        node.Next = left.Next;
        node.NextLowPrefix = left.NextLowPrefix;
        left.Next = node;
        left.NextLowPrefix = node.LowPrefix;
    }
}
