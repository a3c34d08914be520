namespace Store.Vectors;

/// <summary>
/// Encoded vectors by dense internal id, in fixed-size chunks: growing never moves a code, so readers
/// may read any id below <see cref="Count"/> while a writer appends. One writer at a time appends.
/// </summary>
internal sealed class CodeStore
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private const int PrefetchBytes = 256;

    private byte[][] _chunks = [];
    private int _count;

    public CodeStore(int codeSize)
    {
        CodeSize = codeSize;
    }

    /// <summary>A store sized for exactly <paramref name="capacity"/> codes (its last chunk only as long as needed); it still grows past that.</summary>
    public CodeStore(int codeSize, int capacity)
        : this(codeSize)
    {
        int chunks = (capacity + ChunkMask) >> ChunkShift;
        _chunks = new byte[chunks][];
        for (int c = 0; c < chunks; c++)
        {
            int codes = Math.Min(ChunkSize, capacity - (c << ChunkShift));
            _chunks[c] = new byte[codes * codeSize];
        }
    }

    public int CodeSize { get; }

    /// <summary>Codes appended so far (ids 0..Count-1).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes held (whole chunks).</summary>
    public long MemoryBytes => _chunks.Sum(c => (long)c.Length);

    public ReadOnlySpan<byte> this[int id] => _chunks[id >> ChunkShift].AsSpan((id & ChunkMask) * CodeSize, CodeSize);

    /// <summary>Asks the CPU to start loading the first cache lines of a code (a search does this for a node's neighbours before measuring them).</summary>
    public unsafe void Prefetch(int id)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
        {
            byte* start = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref _chunks[id >> ChunkShift][(id & ChunkMask) * CodeSize]);
            int lines = Math.Min(CodeSize, PrefetchBytes);
            for (int offset = 0; offset < lines; offset += 64)
            {
                System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + offset);
            }
        }
    }

    /// <summary>Appends a code; returns its id. Callers serialise appends.</summary>
    public int Append(ReadOnlySpan<byte> code)
    {
        int id = _count;
        code[..CodeSize].CopyTo(Writable(id));
        Volatile.Write(ref _count, id + 1);
        return id;
    }

    /// <summary>Room for the code of id (allocating its chunk), to fill before publishing the id.</summary>
    public Span<byte> Writable(int id)
    {
        int chunk = id >> ChunkShift;
        if (chunk >= _chunks.Length)
        {
            byte[][] grown = new byte[chunk + 1][];
            _chunks.CopyTo(grown, 0);
            for (int c = _chunks.Length; c < grown.Length; c++)
            {
                grown[c] = new byte[ChunkSize * CodeSize];
            }

            Volatile.Write(ref _chunks, grown);
        }

        int offset = (id & ChunkMask) * CodeSize;
        if (_chunks[chunk].Length < offset + CodeSize)
        {
            // A chunk sized for an exact capacity, growing past it: a full chunk replaces it.
            byte[] full = new byte[ChunkSize * CodeSize];
            _chunks[chunk].CopyTo(full, 0);
            Volatile.Write(ref _chunks[chunk], full);
        }

        return _chunks[chunk].AsSpan(offset, CodeSize);
    }

    /// <summary>Makes ids below <paramref name="count"/> readable (after filling them through <see cref="Writable"/>).</summary>
    public void Publish(int count) => Volatile.Write(ref _count, Math.Max(_count, count));
}
