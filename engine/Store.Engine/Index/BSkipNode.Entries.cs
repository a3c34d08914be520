using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Store.Index;

internal sealed partial class BSkipNode
{
    /// <summary>
    /// Index of the first entry &gt;= key (0..count) and whether it equals the key.
    /// Safe on a torn node: indices are clamped, so an optimistic reader gets garbage, not a fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LowerBound(ulong prefix, ReadOnlySpan<byte> key, out bool found)
    {
        ulong[] prefixes = Prefixes;
        int lo = 0;
        int hi = Math.Min(Count, prefixes.Length);
        found = false;
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            ulong p = prefixes[mid];
            int c = p < prefix ? -1 : p > prefix ? 1 : CompareTie(mid, key);
            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                found |= c == 0;
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Compares entry i with a key of the same 8-byte prefix.</summary>
    private int CompareTie(int i, ReadOnlySpan<byte> key)
    {
        int r = KeyRefs[i];
        return r < 0
            ? KeyOrder.CompareTies(~r, default, key)
            : KeyOrder.CompareTies(int.MaxValue, SuffixAt(r), key);
    }

    /// <summary>Compares entry i with a key (any prefix).</summary>
    public int CompareEntry(int i, ulong prefix, ReadOnlySpan<byte> key)
    {
        ulong p = Prefixes[i];
        return p < prefix ? -1 : p > prefix ? 1 : CompareTie(i, key);
    }

    /// <summary>Length of entry i's key.</summary>
    public int KeyLength(int i)
    {
        int r = KeyRefs[i];
        return r < 0 ? Math.Min(~r, KeyOrder.PrefixLength) : KeyOrder.PrefixLength + SuffixAt(r).Length;
    }

    /// <summary>Writes entry i's key into <paramref name="destination"/> (at least <see cref="KeyLength"/> bytes).</summary>
    public void CopyKey(int i, Span<byte> destination)
    {
        int r = KeyRefs[i];
        if (r < 0)
        {
            KeyOrder.WriteShort(Prefixes[i], Math.Min(~r, KeyOrder.PrefixLength), destination);
            return;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Prefixes[i]);
        SuffixAt(r).CopyTo(destination[KeyOrder.PrefixLength..]);
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

    /// <summary>The suffix (bytes 8..) of entry i; empty for short keys.</summary>
    public ReadOnlySpan<byte> Suffix(int i)
    {
        int r = KeyRefs[i];
        return r < 0 ? default : SuffixAt(r);
    }

    // ---- mutation: caller holds the lock ----

    /// <summary>Inserts a key at index i (count &lt; capacity), shifting the tail right.</summary>
    public void InsertAt(int i, ulong prefix, ReadOnlySpan<byte> key, long value, BSkipNode? child)
    {
        int n = Count;
        if (i < n)
        {
            Array.Copy(Prefixes, i, Prefixes, i + 1, n - i);
            Array.Copy(KeyRefs, i, KeyRefs, i + 1, n - i);
            if (Values is not null)
            {
                Array.Copy(Values, i, Values, i + 1, n - i);
            }
            else
            {
                Array.Copy(Children!, i, Children!, i + 1, n - i);
            }
        }

        Prefixes[i] = prefix;
        KeyRefs[i] = key.Length <= KeyOrder.PrefixLength ? ~key.Length : AppendSuffix(key[KeyOrder.PrefixLength..]);
        if (Values is not null)
        {
            Values[i] = value;
        }
        else
        {
            Children![i] = child;
        }

        Count = n + 1;
    }

    /// <summary>Removes entry i, shifting the tail left.</summary>
    public void RemoveAt(int i)
    {
        int n = Count;
        ReleaseSuffix(KeyRefs[i]);
        int tail = n - i - 1;
        if (tail > 0)
        {
            Array.Copy(Prefixes, i + 1, Prefixes, i, tail);
            Array.Copy(KeyRefs, i + 1, KeyRefs, i, tail);
            if (Values is not null)
            {
                Array.Copy(Values, i + 1, Values, i, tail);
            }
            else
            {
                Array.Copy(Children!, i + 1, Children!, i, tail);
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
        Array.Copy(Prefixes, from, target.Prefixes, at, moved);
        if (Values is not null)
        {
            Array.Copy(Values, from, target.Values!, at, moved);
        }
        else
        {
            Array.Copy(Children!, from, target.Children!, at, moved);
            Array.Clear(Children!, from, moved);
        }

        for (int k = 0; k < moved; k++)
        {
            int r = KeyRefs[from + k];
            target.KeyRefs[at + k] = r < 0 ? r : target.AppendSuffix(SuffixAt(r));
            ReleaseSuffix(r);
        }

        target.Count = at + moved;
        Count = from;
        CompactArenaIfSparse();
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
        for (int i = 0; i < Count; i++)
        {
            int r = KeyRefs[i];
            if (r < 0)
            {
                continue;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(old.AsSpan(r));
            int size = sizeof(int) + length;
            old.AsSpan(r, size).CopyTo(fresh.AsSpan(used));
            KeyRefs[i] = used;
            used += size;
        }

        // A new array, never an in-place rewrite: optimistic readers may still hold the old one.
        Arena = fresh;
        ArenaUsed = used;
        ArenaGarbage = 0;
    }
}
