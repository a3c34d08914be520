namespace Store.Vectors;

/// <summary>
/// SPFresh's version map: one byte per internal vector id, a 7-bit version and a deleted bit (0x80).
/// A posting entry carries the version its vector had when the entry was written; maintenance keeps an
/// entry only while the map still holds exactly that byte, so replicas left behind by a reassignment
/// (version bumped) are dropped when their list is next rewritten. Searches skip only deleted vectors
/// (bit set): a vector's code never changes under its id, so a stale replica still measures right, and
/// honouring it keeps a vector visible to a search that races its move. Updates are compare-and-swap,
/// so a delete racing a reassignment never resurrects a vector. Ids only grow;
/// the array grows copy-on-write and readers see either array.
/// </summary>
internal sealed class VersionMap
{
    public const byte DeletedBit = 0x80;
    public const byte VersionMask = 0x7F;

    private const int ChunkShift = 16;
    private const int ChunkMask = (1 << ChunkShift) - 1;

    private readonly object _growLock = new();

    // Chunks never move once made, so a compare-and-swap never lands in a copy that is about to be replaced.
    private byte[][] _chunks = [];
    private int _count;

    public VersionMap(int count)
    {
        EnsureChunks(count);
        _count = count;
    }

    /// <summary>Ids handed out so far (0..Count-1).</summary>
    public int Count => Volatile.Read(ref _count);

    public long MemoryBytes => (long)Volatile.Read(ref _chunks).Length << ChunkShift;

    /// <summary>The current byte of an id (a search compares it with an entry's).</summary>
    public byte this[int id] => Volatile.Read(ref Volatile.Read(ref _chunks)[id >> ChunkShift][id & ChunkMask]);

    public bool IsLive(int id) => (this[id] & DeletedBit) == 0;

    /// <summary>A new live id at version 0.</summary>
    public int Allocate()
    {
        lock (_growLock)
        {
            int id = _count;
            EnsureChunks(id + 1);
            Volatile.Write(ref _count, id + 1);
            return id;
        }
    }

    /// <summary>Sets the deleted bit; false if it was already set.</summary>
    public bool Delete(int id)
    {
        while (true)
        {
            byte current = this[id];
            if ((current & DeletedBit) != 0)
            {
                return false;
            }

            if (TrySwap(id, current, (byte)(current | DeletedBit)))
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Moves a live vector to its next version if it still has <paramref name="expected"/>; returns the
    /// new byte, or -1 when the vector was deleted or moved meanwhile.
    /// </summary>
    public int TryBump(int id, byte expected)
    {
        var next = (byte)((expected + 1) & VersionMask);
        return (expected & DeletedBit) == 0 && TrySwap(id, expected, next) ? next : -1;
    }

    /// <summary>Loads the map from a checkpoint.</summary>
    public static VersionMap FromBytes(ReadOnlySpan<byte> bytes)
    {
        var map = new VersionMap(bytes.Length);
        for (int start = 0; start < bytes.Length; start += 1 << ChunkShift)
        {
            ReadOnlySpan<byte> part = bytes[start..Math.Min(bytes.Length, start + (1 << ChunkShift))];
            part.CopyTo(map._chunks[start >> ChunkShift]);
        }

        return map;
    }

    /// <summary>Copies the bytes of ids 0..Count-1 (for a checkpoint; no update runs meanwhile).</summary>
    public byte[] Snapshot()
    {
        int count = Count;
        var copy = new byte[count];
        byte[][] chunks = Volatile.Read(ref _chunks);
        for (int start = 0; start < count; start += 1 << ChunkShift)
        {
            chunks[start >> ChunkShift].AsSpan(0, Math.Min(1 << ChunkShift, count - start)).CopyTo(copy.AsSpan(start));
        }

        return copy;
    }

    private bool TrySwap(int id, byte expected, byte value) =>
        Interlocked.CompareExchange(ref Volatile.Read(ref _chunks)[id >> ChunkShift][id & ChunkMask], value, expected) == expected;

    private void EnsureChunks(int count)
    {
        int needed = (count + ChunkMask) >> ChunkShift;
        if (needed <= _chunks.Length)
        {
            return;
        }

        var grown = new byte[Math.Max(needed, _chunks.Length * 2)][];
        _chunks.CopyTo(grown, 0);
        for (int c = _chunks.Length; c < grown.Length; c++)
        {
            grown[c] = new byte[1 << ChunkShift];
        }

        Volatile.Write(ref _chunks, grown);
    }
}
