using System.Runtime.CompilerServices;

namespace Store.Index;

/// <summary>
/// One node of a <see cref="BSkipList"/> level: up to B entries in struct-of-arrays form, an
/// immutable low fence, and a version word for optimistic lock coupling (even = unlocked,
/// odd = write-locked). Fields written only under the node's lock; readers validate.
/// </summary>
internal sealed partial class BSkipNode
{
    // Header: version, count and links first, so a visit touches one cache line before the arrays.
    public long Version;
    public int Count;
    public bool Dead;
    public BSkipNode? Next;
    /// <summary>Copy of <c>Next.LowPrefix</c>, kept beside the header for the move-right test.</summary>
    public ulong NextLowPrefix;
    /// <summary>Set when the node is unlinked: the predecessor whose range now covers this one.</summary>
    public BSkipNode? MergedInto;
    /// <summary>Internal levels: a node one level lower whose low fence is &lt;= this node's.</summary>
    public BSkipNode? Down;

    public readonly int Level;
    public readonly bool IsHead;
    public readonly ulong LowPrefix;
    public readonly int LowLength;
    public readonly byte[]? LowSuffix;
    /// <summary>The low fence's second word (<see cref="KeyOrder.Second"/>), decided before its suffix.</summary>
    public readonly ulong LowSecond;

    /// <summary>
    /// Entry storage in one array, so a reader that loads it once sees one consistent capacity c:
    /// key prefixes in [0, c), values in [c, 2c) (leaf level), key references packed as int32 in the
    /// next ceil(c/2) longs, then the second words (<see cref="KeyOrder.Second"/>, last: nodes of keys
    /// of at most 8 bytes never read them).
    /// Leaf arrays grow with their node (16, 32, 64 .. B); internal ones are allocated at B.
    /// A key reference is negative for a key of at most 16 bytes, held whole by its prefix and second word (length <c>~ref</c>), else the
    /// offset of its suffix record in <see cref="Arena"/>.
    /// </summary>
    public long[] Slots;
    public readonly BSkipNode?[]? Children;
    public readonly int MaxCapacity;

    /// <summary>Suffixes (bytes 8..) of keys longer than 8 bytes: [int32 length][bytes] records.</summary>
    public byte[]? Arena;
    public int ArenaUsed;
    public int ArenaGarbage;

    /// <summary>Creates a level's head node (low fence minus infinity).</summary>
    public BSkipNode(int level, int capacity)
        : this(level, capacity, isHead: true, 0, 0, default)
    {
    }

    /// <summary>
    /// Creates a node with the given low fence, write-locked by the creator. A leaf starts with room
    /// for <paramref name="initialCapacity"/> entries (default 16) and grows.
    /// </summary>
    public BSkipNode(int level, int capacity, ulong lowPrefix, int lowLength, ReadOnlySpan<byte> lowSuffix, int initialCapacity = InitialLeafCapacity)
        : this(level, capacity, isHead: false, lowPrefix, lowLength, lowSuffix, initialCapacity)
    {
    }

    private BSkipNode(int level, int capacity, bool isHead, ulong lowPrefix, int lowLength, ReadOnlySpan<byte> lowSuffix, int initialCapacity = InitialLeafCapacity)
    {
        Level = level;
        IsHead = isHead;
        LowPrefix = lowPrefix;
        LowLength = lowLength;
        LowSuffix = lowLength > KeyOrder.PrefixLength ? lowSuffix.ToArray() : null;
        LowSecond = LowSuffix is null ? 0 : KeyOrder.Prefix(LowSuffix);
        Version = isHead ? 0 : 1;
        MaxCapacity = capacity;
        if (level == 0)
        {
            Slots = NewSlots(Math.Clamp(initialCapacity, 1, capacity));
        }
        else
        {
            Slots = NewSlots(capacity);
            Children = new BSkipNode?[capacity];
        }
    }

    /// <summary>Entries the current storage holds without growing.</summary>
    public int Capacity => CapacityOf(Slots);

    // ---- optimistic lock coupling ----

    /// <summary>Waits until the node is unlocked and returns its version.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long StableVersion()
    {
        long v = Volatile.Read(ref Version);
        return (v & 1) == 0 ? v : WaitUnlocked();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private long WaitUnlocked()
    {
        var spin = default(SpinWait);
        long v;
        while (((v = Volatile.Read(ref Version)) & 1) != 0)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return v;
    }

    /// <summary>True if nothing was written since <paramref name="version"/> was read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Validate(long version)
    {
        Volatile.ReadBarrier();
        return Volatile.Read(ref Version) == version;
    }

    /// <summary>Locks the node if it is still at <paramref name="version"/> (so what was read stays true).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryLock(long version) => Interlocked.CompareExchange(ref Version, version + 1, version) == version;

    /// <summary>Locks the node whatever its version.</summary>
    public void Lock()
    {
        while (!TryLock(StableVersion()))
        {
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Unlock() => Volatile.Write(ref Version, Version + 1);

    // ---- fences ----

    /// <summary>True if this node's low fence is &lt;= the key (always for a head).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool LowAtMost(ulong prefix, ReadOnlySpan<byte> key) => IsHead || CompareLow(prefix, key) <= 0;

    /// <summary>True if this node's low fence is strictly below the key.</summary>
    public bool LowBelow(ulong prefix, ReadOnlySpan<byte> key) => IsHead || CompareLow(prefix, key) < 0;

    /// <summary>True if the node's low fence is exactly the key.</summary>
    public bool LowEquals(ulong prefix, ReadOnlySpan<byte> key) => !IsHead && CompareLow(prefix, key) == 0;

    /// <summary>Compares the low fence (not a head's) with a key: prefixes, then second words, then the rest.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CompareLow(ulong prefix, ReadOnlySpan<byte> key)
    {
        if (LowPrefix != prefix)
        {
            return LowPrefix < prefix ? -1 : 1;
        }

        ulong second = KeyOrder.Second(key);
        if (LowSecond != second)
        {
            return LowSecond < second ? -1 : 1;
        }

        return KeyOrder.CompareAfterWords(LowLength, LowSuffix, key);
    }

    /// <summary>Copies the low fence into <paramref name="destination"/>; returns its length.</summary>
    public int CopyLow(Span<byte> destination)
    {
        if (LowLength <= KeyOrder.PrefixLength)
        {
            KeyOrder.WriteShort(LowPrefix, LowLength, destination);
        }
        else
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, LowPrefix);
            LowSuffix.AsSpan().CopyTo(destination[KeyOrder.PrefixLength..]);
        }

        return LowLength;
    }
}
