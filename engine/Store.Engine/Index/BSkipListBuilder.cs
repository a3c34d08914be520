using System.Runtime.CompilerServices;

namespace Store.Index;

/// <summary>
/// Builds a <see cref="BSkipList"/> from keys in strictly increasing order without descending:
/// each key goes to the rightmost node of its top level, and heads a new rightmost node on every
/// level below (the same shape inserts would give). For recovery, before the list is shared:
/// it takes no locks and must be the only writer.
/// </summary>
internal sealed class BSkipListBuilder
{
    private readonly BSkipList _list;
    private readonly BSkipNode[] _rightmost;
    private byte[] _last = [];
    private int _lastLength = -1;
    private long _uncounted;

    internal BSkipListBuilder(BSkipList list, BSkipNode[] heads)
    {
        _list = list;
        _rightmost = [.. heads];
    }

    /// <summary>
    /// Appends a key greater than every key appended so far; returns false (changing nothing) if
    /// it is not, so the caller can fall back to an ordinary insert.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryAppend(ReadOnlySpan<byte> key, long value)
    {
        if (_lastLength >= 0 && key.SequenceCompareTo(_last.AsSpan(0, _lastLength)) <= 0)
        {
            return false;
        }

        ulong prefix = KeyOrder.Prefix(key);
        int height = _list.HeightOf(key);
        ReadOnlySpan<byte> suffix = key.Length > KeyOrder.PrefixLength ? key[KeyOrder.PrefixLength..] : default;
        BSkipNode? child = null;
        for (int level = 0; level <= height; level++)
        {
            BSkipNode node = _rightmost[level];
            if (level < height || node.Count == node.MaxCapacity)
            {
                // Below its top level the key heads a node (promotion split); at the top, a full node overflows.
                // Nodes of a bulk build average B/2 keys (the gap between promoted keys): start leaves near that.
                // Its suffix arena starts at what the node it follows ended with, instead of doubling up to it.
                var fresh = new BSkipNode(level, node.MaxCapacity, prefix, key.Length, suffix, initialCapacity: (node.MaxCapacity * 2) / 3)
                {
                    Down = child,
                    Arena = node.ArenaUsed > 0 ? new byte[node.ArenaUsed + (node.ArenaUsed / 4)] : null,
                };
                fresh.Unlock();
                node.Next = fresh;
                node.NextLowPrefix = prefix;
                _rightmost[level] = node = fresh;
            }

            node.Append(prefix, key, value, child);
            child = node;
        }

        _list.RaiseTopLevel(height);
        _uncounted++;
        if (_last.Length < key.Length)
        {
            _last = new byte[Math.Max(key.Length, 64)];
        }

        key.CopyTo(_last);
        _lastLength = key.Length;
        return true;
    }

    /// <summary>Adds the appended keys to the list's count (kept here while appending, to spare a shared counter per key).</summary>
    public void Complete()
    {
        _list.CountAppended(_uncounted);
        _uncounted = 0;
    }
}
