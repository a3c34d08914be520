using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Store.Index;

internal sealed partial class BSkipNode
{
    private const int InitialLeafCapacity = 16;

    /// <summary>Capacity c of a slots array of length 3c + ceil(c/2) (see <see cref="Slots"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CapacityOf(long[] slots) => slots.Length * 2 / 7;

    private static long[] NewSlots(int capacity) => new long[(3 * capacity) + ((capacity + 1) / 2)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Span<int> RefsOf(long[] slots, int capacity) =>
        MemoryMarshal.Cast<long, int>(slots.AsSpan(2 * capacity))[..capacity];

    /// <summary>Where the second words start: last, so a node of short keys never touches them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SecondsOf(int capacity) => (2 * capacity) + ((capacity + 1) / 2);

    /// <summary>Starts of the three long columns (prefixes, values, second words); key references are moved apart.</summary>
    private static int ColumnStart(int column, int capacity) => column switch
    {
        0 => 0,
        1 => capacity,
        _ => SecondsOf(capacity),
    };

    /// <summary>
    /// Index of the first entry &gt;= key (0..count) and whether it equals the key.
    /// Counts the prefixes below the key's with SIMD over the contiguous prefix array (sequential
    /// lines the prefetcher streams, instead of a binary search's dependent misses), then settles
    /// ties on the prefix by comparing the rest of the keys.
    /// Safe on a torn node: the storage is loaded once and indices stay inside it, so an
    /// optimistic reader may get a wrong answer (caught by validation) but never a fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LowerBound(ulong prefix, ReadOnlySpan<byte> key, out bool found)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        int n = Math.Min(Count, capacity);
        // Prefixes are sorted: when the first is not below the key's (keys sharing their first 8 bytes
        // fill whole nodes with one prefix) the answer starts at 0, with no scan of the prefix array.
        int i = n == 0 || (ulong)slots[0] >= prefix ? 0 : CountBelow(slots, 0, n, prefix);
        found = false;
        if (i < n && (ulong)slots[i] == prefix)
        {
            i = SettleTies(slots, capacity, i, n, prefix, key, out found);
        }

        return i;
    }

    /// <summary>
    /// Settles a key whose prefix ties with entry <paramref name="from"/>, the first of a run of equal
    /// prefixes in [from, n). A run of one costs one compare. A longer run (keys that share their first
    /// 8 bytes, common with structured keys such as <c>user:000123</c>, fill whole nodes) is settled
    /// like the prefixes were: its second words, sorted within the run, are counted below the key's with
    /// SIMD, independent loads of sequential lines instead of a binary search's chain of dependent
    /// misses; only keys that also tie on their second word (16 equal bytes) are binary searched by
    /// their suffixes.
    /// </summary>
    private int SettleTies(long[] slots, int capacity, int from, int n, ulong prefix, ReadOnlySpan<byte> key, out bool found)
    {
        ulong second = KeyOrder.Second(key);
        if (from + 1 >= n || (ulong)slots[from + 1] != prefix)
        {
            // A run of one (distinct prefixes, the common case): one compare, no probes across the node.
            int c = CompareSameFirst(slots, capacity, from, second, key);
            found = c == 0;
            return c < 0 ? from + 1 : from;
        }

        int seconds = SecondsOf(capacity);
        int end = (ulong)slots[n - 1] == prefix || prefix == ulong.MaxValue ? n : CountBelow(slots, 0, n, prefix + 1);
        end = Math.Max(end, from + 1); // a torn read may count anything: stay inside the node, validation retries
        int j = from + CountBelow(slots, seconds + from, end - from, second);
        found = false;
        if (j >= end || (ulong)slots[seconds + j] != second)
        {
            return j;
        }

        if (j + 1 >= end || (ulong)slots[seconds + j + 1] != second)
        {
            int c = CompareTie(RefsOf(slots, capacity)[j], key);
            found = c == 0;
            return c < 0 ? j + 1 : j;
        }

        // Entries [j, end) hold second words >= the key's, those equal to it first: binary search them.
        int low = j;
        int high = end;
        while (low < high)
        {
            int middle = (int)((uint)(low + high) >> 1);
            int c = (ulong)slots[seconds + middle] != second ? 1 : CompareTie(RefsOf(slots, capacity)[middle], key);
            if (c < 0)
            {
                low = middle + 1;
            }
            else
            {
                found = c == 0;
                high = middle;
            }
        }

        // 'found' is the verdict of the last probe that moved 'high', which is where 'low' ends.
        return low;
    }

    /// <summary>
    /// Number of the <paramref name="n"/> words from <paramref name="offset"/> that are below
    /// <paramref name="prefix"/> (unsigned); the caller keeps [offset, offset + n) inside the array.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountBelow(long[] slots, int offset, int n, ulong prefix)
    {
        ref long start = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(slots), offset);
        int count = 0;
        int j = 0;

        // Unsigned order through signed compares: flip the sign bit of both sides.
        long biased = (long)(prefix ^ 0x8000_0000_0000_0000UL);
        if (Vector512.IsHardwareAccelerated && n >= Vector512<long>.Count)
        {
            Vector512<long> bias = Vector512.Create(long.MinValue);
            Vector512<long> target = Vector512.Create(biased);
            for (; j <= n - Vector512<long>.Count; j += Vector512<long>.Count)
            {
                Vector512<long> v = Vector512.LoadUnsafe(ref start, (nuint)j) ^ bias;
                count += BitOperations.PopCount(Vector512.LessThan(v, target).ExtractMostSignificantBits());
            }
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<long>.Count)
        {
            Vector256<long> bias = Vector256.Create(long.MinValue);
            Vector256<long> target = Vector256.Create(biased);
            for (; j <= n - Vector256<long>.Count; j += Vector256<long>.Count)
            {
                Vector256<long> v = Vector256.LoadUnsafe(ref start, (nuint)j) ^ bias;
                count += BitOperations.PopCount(Vector256.LessThan(v, target).ExtractMostSignificantBits());
            }
        }

        for (; j < n; j++)
        {
            count += (ulong)Unsafe.Add(ref start, j) < prefix ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Compares entry i (inside <paramref name="slots"/>) with a key of the same 8-byte prefix whose
    /// second word is <paramref name="second"/>: by second words, then by the rest of the keys.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int CompareSameFirst(long[] slots, int capacity, int i, ulong second, ReadOnlySpan<byte> key)
    {
        ulong stored = (ulong)slots[SecondsOf(capacity) + i];
        return stored != second ? (stored < second ? -1 : 1) : CompareTie(RefsOf(slots, capacity)[i], key);
    }

    /// <summary>Compares a stored key with a key of the same prefix and second word.</summary>
    private int CompareTie(int keyRef, ReadOnlySpan<byte> key)
    {
        if (keyRef < 0)
        {
            return KeyOrder.CompareAfterWords(~keyRef, default, key);
        }

        ReadOnlySpan<byte> suffix = SuffixAt(keyRef);
        return KeyOrder.CompareAfterWords(KeyOrder.PrefixLength + suffix.Length, suffix, key);
    }

    /// <summary>Compares entry i with a key (any prefix).</summary>
    public int CompareEntry(int i, ulong prefix, ReadOnlySpan<byte> key)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        if ((uint)i >= (uint)capacity)
        {
            return -1; // torn read: any answer will do, the caller validates and retries
        }

        ulong p = (ulong)slots[i];
        return p < prefix ? -1 : p > prefix ? 1 : CompareSameFirst(slots, capacity, i, KeyOrder.Second(key), key);
    }

    /// <summary>Prefix of entry i (0 if i is outside the storage: torn read).</summary>
    public ulong PrefixAt(int i)
    {
        long[] slots = Slots;
        return (uint)i < (uint)CapacityOf(slots) ? (ulong)slots[i] : 0;
    }

    /// <summary>Value of leaf entry i (0 if i is outside the storage: torn read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ValueAt(int i)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        return (uint)i < (uint)capacity ? slots[capacity + i] : 0;
    }

    /// <summary>Sets the value of leaf entry i; caller holds the lock.</summary>
    public void SetValue(int i, long value)
    {
        long[] slots = Slots;
        slots[CapacityOf(slots) + i] = value;
    }

    /// <summary>Key reference of entry i (see <see cref="Slots"/>; -1, the empty key, if torn).</summary>
    public int KeyRefAt(int i)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        return (uint)i < (uint)capacity ? RefsOf(slots, capacity)[i] : -1;
    }

    /// <summary>Length of entry i's key.</summary>
    public int KeyLength(int i)
    {
        int r = KeyRefAt(i);
        return r < 0 ? Math.Min(~r, KeyOrder.InlineLength) : KeyOrder.PrefixLength + SuffixAt(r).Length;
    }

    /// <summary>Writes entry i's key into <paramref name="destination"/>; returns its length.</summary>
    public int CopyKey(int i, Span<byte> destination)
    {
        int r = KeyRefAt(i);
        ulong prefix = PrefixAt(i);
        if (r < 0)
        {
            int length = Math.Min(~r, KeyOrder.InlineLength);
            KeyOrder.WriteInline(prefix, length > KeyOrder.PrefixLength ? SecondAt(i) : 0, length, destination);
            return length;
        }

        ReadOnlySpan<byte> suffix = SuffixAt(r);
        BinaryPrimitives.WriteUInt64BigEndian(destination, prefix);
        suffix.CopyTo(destination[KeyOrder.PrefixLength..]);
        return KeyOrder.PrefixLength + suffix.Length;
    }

    /// <summary>The suffix record at an arena offset; empty if the offset is torn.</summary>
    public ReadOnlySpan<byte> SuffixAt(int offset)
    {
        byte[]? arena = Arena;
        if (arena is null || (uint)offset > (uint)(arena.Length - sizeof(int)))
        {
            return default;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(arena.AsSpan(offset));
        if ((uint)length > (uint)(arena.Length - offset - sizeof(int)))
        {
            return default;
        }

        return new ReadOnlySpan<byte>(arena, offset + sizeof(int), length);
    }

    /// <summary>Second word of entry i (0 if i is outside the storage: torn read).</summary>
    public ulong SecondAt(int i)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        return (uint)i < (uint)capacity ? (ulong)slots[SecondsOf(capacity) + i] : 0;
    }

    // ---- mutation: caller holds the lock ----

    /// <summary>Inserts a key at index i (count &lt; <see cref="MaxCapacity"/>), shifting the tail right.</summary>
    public void InsertAt(int i, ulong prefix, ReadOnlySpan<byte> key, long value, BSkipNode? child)
    {
        int n = Count;
        EnsureCapacity(n + 1);
        if (i < n)
        {
            long[] slots = Slots;
            int capacity = CapacityOf(slots);
            Span<int> refs = RefsOf(slots, capacity);
            for (int column = 0; column < 3; column++)
            {
                int start = ColumnStart(column, capacity);
                Array.Copy(slots, start + i, slots, start + i + 1, n - i);
            }

            refs[i..n].CopyTo(refs[(i + 1)..]);
            if (Children is not null)
            {
                Array.Copy(Children, i, Children, i + 1, n - i);
            }
        }

        Place(i, prefix, key, value, child);
    }

    /// <summary>Appends a key after the last entry (bulk build: count &lt; <see cref="MaxCapacity"/>, no shifting).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Append(ulong prefix, ReadOnlySpan<byte> key, long value, BSkipNode? child)
    {
        EnsureCapacity(Count + 1);
        Place(Count, prefix, key, value, child);
    }

    /// <summary>Writes entry i into free room (storage grown, tail shifted) and counts it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(int i, ulong prefix, ReadOnlySpan<byte> key, long value, BSkipNode? child)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        slots[i] = (long)prefix;
        slots[capacity + i] = value;
        slots[SecondsOf(capacity) + i] = (long)KeyOrder.Second(key);
        RefsOf(slots, capacity)[i] = key.Length <= KeyOrder.InlineLength ? ~key.Length : AppendSuffix(key[KeyOrder.PrefixLength..]);
        if (Children is not null)
        {
            Children[i] = child;
        }

        Count++;
    }

    /// <summary>Removes entry i, shifting the tail left.</summary>
    public void RemoveAt(int i)
    {
        int n = Count;
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        Span<int> refs = RefsOf(slots, capacity);
        ReleaseSuffix(refs[i]);
        int tail = n - i - 1;
        if (tail > 0)
        {
            for (int column = 0; column < 3; column++)
            {
                int start = ColumnStart(column, capacity);
                Array.Copy(slots, start + i + 1, slots, start + i, tail);
            }

            refs[(i + 1)..n].CopyTo(refs[i..]);
            if (Children is not null)
            {
                Array.Copy(Children, i + 1, Children, i, tail);
            }
        }

        if (Children is not null)
        {
            Children[n - 1] = null;
        }

        Count = n - 1;
        CompactArenaIfSparse();
    }

    /// <summary>Moves entries [from, count) to <paramref name="target"/> starting at its index <paramref name="at"/>.</summary>
    public void MoveTailTo(int from, BSkipNode target, int at)
    {
        int n = Count;
        int moved = n - from;
        target.EnsureCapacity(at + moved);
        long[] source = Slots;
        int sourceCapacity = CapacityOf(source);
        long[] destination = target.Slots;
        int destinationCapacity = CapacityOf(destination);
        for (int column = 0; column < 3; column++)
        {
            Array.Copy(source, ColumnStart(column, sourceCapacity) + from, destination, ColumnStart(column, destinationCapacity) + at, moved);
        }

        if (Children is not null)
        {
            Array.Copy(Children, from, target.Children!, at, moved);
            Array.Clear(Children, from, moved);
        }

        Span<int> sourceRefs = RefsOf(source, sourceCapacity);
        Span<int> destinationRefs = RefsOf(destination, destinationCapacity);
        for (int k = 0; k < moved; k++)
        {
            int r = sourceRefs[from + k];
            destinationRefs[at + k] = r < 0 ? r : target.AppendSuffix(SuffixAt(r));
            ReleaseSuffix(r);
        }

        target.Count = at + moved;
        Count = from;
        CompactArenaIfSparse();
    }

    /// <summary>Grows leaf storage (up to B) into a fresh array; readers may hold the old one.</summary>
    private void EnsureCapacity(int needed)
    {
        long[] slots = Slots;
        int capacity = CapacityOf(slots);
        if (needed <= capacity)
        {
            return;
        }

        // 1.5x steps (16, 24, 36, 54, 81, B) keep storage ~80% used: nodes average ~B/2.5 entries.
        int grown = Math.Min(MaxCapacity, Math.Max(needed, capacity + (capacity / 2)));
        long[] fresh = NewSlots(grown);
        int n = Count;
        for (int column = 0; column < 3; column++)
        {
            Array.Copy(slots, ColumnStart(column, capacity), fresh, ColumnStart(column, grown), n);
        }

        RefsOf(slots, capacity)[..n].CopyTo(RefsOf(fresh, grown));
        Slots = fresh;
    }

    private int AppendSuffix(ReadOnlySpan<byte> suffix)
    {
        int need = sizeof(int) + suffix.Length;
        byte[]? arena = Arena;
        if (arena is null || arena.Length - ArenaUsed < need)
        {
            int size = Math.Max(need + ArenaUsed, Math.Max(64, (arena?.Length ?? 0) * 2));
            var grown = new byte[size];
            arena?.AsSpan(0, ArenaUsed).CopyTo(grown);
            Arena = arena = grown;
        }

        int offset = ArenaUsed;
        BinaryPrimitives.WriteInt32LittleEndian(arena.AsSpan(offset), suffix.Length);
        suffix.CopyTo(arena.AsSpan(offset + sizeof(int)));
        ArenaUsed = offset + need;
        return offset;
    }

    private void ReleaseSuffix(int keyRef)
    {
        if (keyRef >= 0)
        {
            ArenaGarbage += sizeof(int) + SuffixAt(keyRef).Length;
        }
    }

    /// <summary>Rewrites the arena into a fresh array once more than half of it is dead.</summary>
    private void CompactArenaIfSparse()
    {
        if (ArenaGarbage <= 256 || ArenaGarbage * 2 <= ArenaUsed)
        {
            return;
        }

        int live = ArenaUsed - ArenaGarbage;
        byte[] old = Arena!;
        var fresh = live == 0 ? null : new byte[Math.Max(64, live + (live / 2))];
        int used = 0;
        Span<int> refs = RefsOf(Slots, Capacity);
        for (int i = 0; i < Count; i++)
        {
            int r = refs[i];
            if (r < 0)
            {
                continue;
            }

            int size = sizeof(int) + BinaryPrimitives.ReadInt32LittleEndian(old.AsSpan(r));
            old.AsSpan(r, size).CopyTo(fresh.AsSpan(used));
            refs[i] = used;
            used += size;
        }

        // A new array, never an in-place rewrite: optimistic readers may still hold the old one.
        Arena = fresh;
        ArenaUsed = used;
        ArenaGarbage = 0;
    }
}
