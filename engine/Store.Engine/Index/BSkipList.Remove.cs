namespace Store.Index;

public sealed partial class BSkipList
{
    /// <summary>Removes the key; returns false if it is absent.</summary>
    public bool TryRemove(ReadOnlySpan<byte> key, out long value)
    {
        CheckKey(key);
        ulong prefix = KeyOrder.Prefix(key);
        int height = HeightOf(key);
        BSkipNode node = LockCovering(DescendTo(height, prefix, key, strict: false), prefix, key);
        int i = node.LowerBound(prefix, key, out bool found);
        if (!found)
        {
            // No routing entry at the key's top level means no key: inserts place it there first.
            node.Unlock();
            value = 0;
            return false;
        }

        // Remove top-down, hand over hand: below its top level the key is entry 0 of the node
        // its routing entry points at, and that node cannot be unlinked while it holds the key.
        BSkipNode? emptied = null;
        List<BSkipNode>? moreEmptied = null;
        while (node.Level > 0)
        {
            BSkipNode child = node.Children![i]!;
            node.RemoveAt(i);
            NoteIfEmpty(node, ref emptied, ref moreEmptied);
            child.Lock();
            node.Unlock();
            node = child;
            i = node.LowerBound(prefix, key, out found);
            if (!found)
            {
                node.Unlock();
                throw new InvalidOperationException("B-skiplist invariant broken: a routing entry points at a node without its key.");
            }
        }

        value = node.ValueAt(i);
        node.RemoveAt(i);
        NoteIfEmpty(node, ref emptied, ref moreEmptied);
        node.Unlock();
        _count.Add(-1);

        UnlinkAll(emptied, moreEmptied);
        return true;
    }

    private void UnlinkAll(BSkipNode? first, List<BSkipNode>? more)
    {
        if (first is not null)
        {
            TryUnlink(first);
        }

        if (more is not null)
        {
            foreach (BSkipNode node in more)
            {
                TryUnlink(node);
            }
        }
    }

    private static void NoteIfEmpty(BSkipNode node, ref BSkipNode? first, ref List<BSkipNode>? more)
    {
        if (node.Count != 0 || node.IsHead)
        {
            return;
        }

        if (first is null)
        {
            first = node;
        }
        else
        {
            (more ??= []).Add(node);
        }
    }

    /// <summary>
    /// Unlinks a node that was left empty: its predecessor absorbs its range and the node is marked
    /// dead, pointing at that predecessor. Gives up quietly if the node filled up again or is gone.
    /// </summary>
    private void TryUnlink(BSkipNode node)
    {
        Span<byte> buffer = node.LowLength <= 256 ? stackalloc byte[256] : new byte[node.LowLength];
        ReadOnlySpan<byte> low = buffer[..node.CopyLow(buffer)];
        ulong prefix = node.LowPrefix;

        BSkipNode pred = DescendTo(node.Level, prefix, low, strict: true);
        while (true)
        {
            long v = pred.StableVersion();
            if (!Redirect(ref pred, v, prefix, low, strict: true) && pred.TryLock(v))
            {
                break;
            }
        }

        if (pred.Next == node)
        {
            node.Lock();
            if (node.Count == 0 && !node.Dead)
            {
                pred.Next = node.Next;
                pred.NextLowPrefix = node.NextLowPrefix;
                node.MergedInto = pred;
                node.Dead = true;
            }

            node.Unlock();
        }

        pred.Unlock();
    }
}
