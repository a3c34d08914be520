using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Store.Index;

/// <summary>Visits one entry of a range scan; return false to stop the scan.</summary>
/// <remarks>The key span is valid only during the call.</remarks>
public delegate bool ScanVisitor(ReadOnlySpan<byte> key, long value);

/// <summary>
/// A concurrent ordered map from byte-string keys (unsigned lexicographic order, 0 to
/// <see cref="MaxKeyLength"/> bytes) to 64-bit handles, after the locality-optimised
/// B-skiplist of Luo et al. (ICPP 2025). Nodes hold many entries in struct-of-arrays form;
/// readers are optimistic (they never write shared memory) and writers lock top-down.
/// All members are thread-safe. Design and invariants: docs/bskiplist.md.
/// </summary>
public sealed partial class BSkipList
{
    /// <summary>Longest accepted key, in bytes (64 KiB).</summary>
    public const int MaxKeyLength = 64 * 1024;

    private readonly BSkipNode[] _heads;
    private readonly int _capacity;
    private readonly ulong _promotionBase;
    private readonly int _maxHeight;
    private readonly StripedCounter _count = new();
    /// <summary>Highest level that ever held a routing entry; descents start there.</summary>
    private int _topLevel;

    /// <summary>Creates an empty list.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the message names it.</exception>
    public BSkipList(BSkipListOptions? options = null)
    {
        options ??= new BSkipListOptions();
        options.Validate();
        _capacity = options.NodeCapacity;
        int levels = options.ResolveLevels();
        _heads = new BSkipNode[levels];
        for (int level = 0; level < levels; level++)
        {
            _heads[level] = new BSkipNode(level, _capacity) { Down = level > 0 ? _heads[level - 1] : null };
        }

        _promotionBase = (ulong)(_capacity / 2);
        _maxHeight = levels - 1;
    }

    /// <summary>Number of keys present (exact when no write is in flight).</summary>
    public long Count => _count.Sum();

    /// <summary>Entries per node (the paper's B).</summary>
    public int NodeCapacity => _capacity;

    /// <summary>Number of levels, the leaf level included.</summary>
    public int Levels => _heads.Length;

    /// <summary>Looks a key up.</summary>
    public bool TryGetValue(ReadOnlySpan<byte> key, out long value)
    {
        CheckKey(key);
        ulong prefix = KeyOrder.Prefix(key);
        BSkipNode node = DescendTo(0, prefix, key, strict: false);
        while (true)
        {
            long v = node.StableVersion();
            if (Redirect(ref node, v, prefix, key))
            {
                continue;
            }

            int i = node.LowerBound(prefix, key, out bool found);
            long result = found ? node.ValueAt(i) : 0;
            if (node.Validate(v))
            {
                value = result;
                return found;
            }
        }
    }

    /// <summary>True if the key is present.</summary>
    public bool ContainsKey(ReadOnlySpan<byte> key) => TryGetValue(key, out _);

    /// <summary>The level a key is promoted to: a pure function of its bytes, so delete can recompute it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int HeightOf(ReadOnlySpan<byte> key)
    {
        ulong hash = KeyOrder.Hash(key);
        int height = 0;
        while (height < _maxHeight && hash % _promotionBase == 0)
        {
            hash /= _promotionBase;
            height++;
        }

        return height;
    }

    /// <summary>
    /// Descends from the top to <paramref name="level"/>, returning a node there whose low fence is
    /// &lt;= key (&lt; key when <paramref name="strict"/>). The node is not locked and may need moving right.
    /// </summary>
    private BSkipNode DescendTo(int level, ulong prefix, ReadOnlySpan<byte> key, bool strict)
    {
        BSkipNode node = _heads[Math.Max(Volatile.Read(ref _topLevel), level)];
        while (node.Level > level)
        {
            long v = node.StableVersion();
            if (Redirect(ref node, v, prefix, key, strict))
            {
                continue;
            }

            int i = node.LowerBound(prefix, key, out bool found);
            int rank = found && !strict ? i : i - 1;
            BSkipNode? child = rank >= 0 ? node.Children![rank] : node.Down;
            if (node.Validate(v) && child is not null)
            {
                node = child;
            }
        }

        return node;
    }

    /// <summary>
    /// If <paramref name="node"/> (read at version <paramref name="v"/>) is dead or does not cover the key,
    /// steps to the node to try next and returns true; a failed validation also returns true (retry).
    /// With <paramref name="strict"/> a node covers the key only if its low fence is below it (used to find predecessors).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool Redirect(ref BSkipNode node, long v, ulong prefix, ReadOnlySpan<byte> key, bool strict = false)
    {
        if (node.Dead)
        {
            BSkipNode? merged = node.MergedInto;
            if (node.Validate(v) && merged is not null)
            {
                node = merged;
            }

            return true;
        }

        BSkipNode? next = node.Next;
        if (next is not null && node.NextLowPrefix <= prefix && (strict ? next.LowBelow(prefix, key) : next.LowAtMost(prefix, key)))
        {
            if (node.Validate(v))
            {
                node = next;
            }

            return true;
        }

        return false;
    }

    /// <summary>Moves right from <paramref name="node"/> to the node covering the key and write-locks it.</summary>
    private static BSkipNode LockCovering(BSkipNode node, ulong prefix, ReadOnlySpan<byte> key)
    {
        while (true)
        {
            long v = node.StableVersion();
            if (!Redirect(ref node, v, prefix, key) && node.TryLock(v))
            {
                return node;
            }
        }
    }

    internal void RaiseTopLevel(int height)
    {
        int top;
        while (height > (top = Volatile.Read(ref _topLevel)) && Interlocked.CompareExchange(ref _topLevel, height, top) != top)
        {
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length > MaxKeyLength)
        {
            ThrowKeyTooLong(key.Length);
        }
    }

    [DoesNotReturn]
    private static void ThrowKeyTooLong(int length) =>
        throw new ArgumentException($"Key is {length} bytes; the B-skiplist accepts keys of at most {MaxKeyLength} bytes.", "key");
}
