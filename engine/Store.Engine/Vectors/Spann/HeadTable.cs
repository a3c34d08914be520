namespace Store.Vectors;

/// <summary>
/// Per head: its posting list (null once removed) and the internal vector id it stands for (-1 for a
/// routing-only head). Chunks of 4,096 heads that never move once made, so a list published into a
/// chunk is never lost to a copy; growing replaces only the outer array. Readers need no lock.
/// </summary>
internal sealed class HeadTable
{
    private const int ChunkShift = 12;
    private const int ChunkMask = (1 << ChunkShift) - 1;

    private PostingList?[][] _lists = [];
    private int[][] _vectors = [];

    public HeadTable(int capacity) => Ensure(capacity);

    public PostingList? ListOf(int head) => Volatile.Read(ref Volatile.Read(ref _lists)[head >> ChunkShift][head & ChunkMask]);

    public void SetList(int head, PostingList? list) => Volatile.Write(ref Volatile.Read(ref _lists)[head >> ChunkShift][head & ChunkMask], list);

    public int VectorOf(int head) => Volatile.Read(ref Volatile.Read(ref _vectors)[head >> ChunkShift][head & ChunkMask]);

    public void SetVector(int head, int vector) => Volatile.Write(ref Volatile.Read(ref _vectors)[head >> ChunkShift][head & ChunkMask], vector);

    /// <summary>Makes room for heads below <paramref name="count"/> (one thread at a time).</summary>
    public void Ensure(int count)
    {
        int needed = (count + ChunkMask) >> ChunkShift;
        if (needed <= _lists.Length)
        {
            return;
        }

        var lists = new PostingList?[needed][];
        var vectors = new int[needed][];
        _lists.CopyTo(lists, 0);
        _vectors.CopyTo(vectors, 0);
        for (int c = _lists.Length; c < needed; c++)
        {
            lists[c] = new PostingList?[1 << ChunkShift];
            vectors[c] = new int[1 << ChunkShift];
        }

        Volatile.Write(ref _vectors, vectors);
        Volatile.Write(ref _lists, lists);
    }
}
