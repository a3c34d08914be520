namespace Store.Bench.Peers;

/// <summary>Structural check of a quiescent list, for the self-check.</summary>
internal sealed partial class ClassicSkipList
{
    /// <summary>
    /// Throws unless, with no update in flight, every level is strictly ascending, holds only fully
    /// linked unmarked nodes tall enough for it, and is a subsequence of the level below.
    /// </summary>
    public void ValidateQuiescent()
    {
        for (int level = 0; level < MaxHeight; level++)
        {
            var below = level > 0 ? Volatile.Read(ref _head.Next[level - 1]) : null;
            ClassicSkipListNode? previous = null;
            for (var node = Volatile.Read(ref _head.Next[level]); node is not null; node = Volatile.Read(ref node.Next[level]))
            {
                if (level >= Volatile.Read(ref _height))
                {
                    throw new InvalidOperationException($"level {level} holds a node but the height is {_height}");
                }

                if (!node.FullyLinked || node.Marked || node.TopLevel < level)
                {
                    throw new InvalidOperationException($"level {level} holds a node that is not fully linked, is marked or is too short");
                }

                if (previous is not null && previous.Key.AsSpan().SequenceCompareTo(node.Key) >= 0)
                {
                    throw new InvalidOperationException($"level {level} is not strictly ascending");
                }

                if (level > 0)
                {
                    while (below is not null && below != node)
                    {
                        below = Volatile.Read(ref below.Next[level - 1]);
                    }

                    if (below is null)
                    {
                        throw new InvalidOperationException($"a node of level {level} is missing from level {level - 1}");
                    }
                }

                previous = node;
            }
        }
    }
}
