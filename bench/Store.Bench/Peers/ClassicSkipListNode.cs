using System.Runtime.CompilerServices;

namespace Store.Bench.Peers;

/// <summary>
/// One key of a <see cref="ClassicSkipList"/>: a private copy of the key, the value, the forward
/// pointers of its levels, the lazy-skiplist flags and a per-node spin lock.
/// </summary>
internal sealed class ClassicSkipListNode(byte[]? key, long value, int topLevel)
{
    /// <summary>The key; null only for the head sentinel, which sorts below every key.</summary>
    public readonly byte[]? Key = key;

    /// <summary>Forward pointers, one per level 0..<see cref="TopLevel"/>; changed only under the owner's lock.</summary>
    public readonly ClassicSkipListNode?[] Next = new ClassicSkipListNode?[topLevel + 1];

    /// <summary>The value; read with Volatile.Read, written under the node's lock.</summary>
    public long Value = value;

    /// <summary>Logically deleted; set once, under the node's lock.</summary>
    public volatile bool Marked;

    /// <summary>Linked at every level; the node is in the set from this moment.</summary>
    public volatile bool FullyLinked;

    private int _lock;

    public int TopLevel => Next.Length - 1;

    public void Lock()
    {
        if (Interlocked.CompareExchange(ref _lock, 1, 0) != 0)
        {
            LockContended();
        }
    }

    public void Unlock() => Volatile.Write(ref _lock, 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LockContended()
    {
        var spinner = default(SpinWait);
        do
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        while (Volatile.Read(ref _lock) != 0 || Interlocked.CompareExchange(ref _lock, 1, 0) != 0);
    }
}
