using Store.Storage;

namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    [ThreadStatic]
    private static AlignedBuffer? _threadBlock;

    [ThreadStatic]
    private static UpdateScratch? _threadScratch;

    /// <summary>Hands out the internal id of a new vector (live, version 0); map it to its external id before <see cref="Insert"/>.</summary>
    public int AllocateId()
    {
        Maintenance.ThrowIfFailed();
        return Versions.Allocate();
    }

    /// <summary>
    /// Places vector <paramref name="id"/> (from <see cref="AllocateId"/>): its nearest heads through the
    /// head graph, up to ReplicaCount of them by the RNG rule, an entry appended to each of their lists
    /// (only the last block is rewritten, to a free block). Lists grown past MaxPostingVectors are queued
    /// for a split. One writer at a time (maintenance may run meanwhile).
    /// </summary>
    public void Insert(int id, ReadOnlySpan<byte> code)
    {
        Maintenance.ThrowIfFailed();
        Place(id, Versions[id], code, exclude: -1);
    }

    /// <summary>Marks a vector deleted: every replica of it is skipped from now on (tombstone in the version map).</summary>
    public void Delete(int id) => Versions.Delete(id);

    /// <summary>True if the vector is live (not deleted).</summary>
    public bool IsLive(int id) => (uint)id < (uint)Versions.Count && Versions.IsLive(id);

    /// <summary>
    /// Appends an entry (id, version, code) to the lists the RNG rule picks among the nearest heads other
    /// than <paramref name="exclude"/>; a head removed meanwhile is skipped, and if every pick was removed
    /// the choice is made again. Returns the number of lists written.
    /// </summary>
    internal int Place(int id, byte version, ReadOnlySpan<byte> code, int exclude)
    {
        UpdateScratch scratch = _threadScratch ??= new UpdateScratch();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            int chosen = SelectHeads(code, exclude, scratch);
            int written = 0;
            for (int i = 0; i < chosen; i++)
            {
                if (Append(scratch.Chosen[i], id, version, code))
                {
                    written++;
                }
            }

            if (written > 0 || chosen == 0)
            {
                return written;
            }
        }

        return 0;
    }

    /// <summary>The RNG rule over the nearest heads (SPANN section 3.2): skip h if a chosen c has RngFactor * d(h, c) &lt;= d(v, h).</summary>
    private int SelectHeads(ReadOnlySpan<byte> code, int exclude, UpdateScratch scratch)
    {
        int candidates = Math.Min(Options.CandidateHeads, Math.Max(1, LiveHeadCount));
        scratch.Reserve(candidates, Options.ReplicaCount);
        int found = Graph.Search(code, Math.Max(candidates, Options.HeadGraph.EfSearch), scratch.Distances.AsSpan(0, candidates), scratch.Ids.AsSpan(0, candidates));
        int taken = 0;
        for (int i = 0; i < found && taken < Options.ReplicaCount; i++)
        {
            int h = scratch.Ids[i];
            if (h == exclude)
            {
                continue;
            }

            float d = scratch.Distances[i];
            bool keep = true;
            for (int j = 0; j < taken; j++)
            {
                if (Options.RngFactor * Space.Distance(HeadCodes[h], HeadCodes[scratch.Chosen[j]]) <= d)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                scratch.Chosen[taken++] = h;
            }
        }

        return taken;
    }

    /// <summary>Appends one entry to a head's list: a copy of its last block with the entry added goes to a free block, then the list is swapped. False if the head was removed.</summary>
    private bool Append(int head, int id, byte version, ReadOnlySpan<byte> code)
    {
        PostingBlock layout = Store.Layout;
        int count;
        lock (LockOf(head))
        {
            PostingList? list = ListOf(head);
            if (list is null)
            {
                return false;
            }

            Span<byte> block = BlockBuffer();
            int blocks = list.Blocks.Length;
            int inLast = blocks == 0 ? layout.Capacity : layout.EntriesIn(list.Count, blocks, blocks - 1);
            int[] next;
            if (inLast < layout.Capacity)
            {
                int last = list.Blocks[blocks - 1];
                Store.Read(last, block);
                if (!layout.IsIntact(block, head, inLast, Options.VerifyPostings))
                {
                    ThrowCorruptBlock(head, last);
                }

                layout.WriteEntry(block, inLast, id, version, code);
                layout.Seal(block, head, inLast + 1);
                next = (int[])list.Blocks.Clone();
                next[blocks - 1] = Store.Allocate();
                Store.Write(next[blocks - 1], block);
                PublishList(head, new PostingList(next, list.Count + 1));
                Store.Free(last);
            }
            else
            {
                layout.WriteEntry(block, 0, id, version, code);
                layout.Seal(block, head, 1);
                next = new int[blocks + 1];
                list.Blocks.CopyTo(next, 0);
                next[blocks] = Store.Allocate();
                Store.Write(next[blocks], block);
                PublishList(head, new PostingList(next, list.Count + 1));
            }

            count = list.Count + 1;
        }

        if (count > Options.MaxPostingVectors)
        {
            Maintenance.RequestSplit(head);
        }

        return true;
    }

    /// <summary>Writes a whole list (entries packed: ids, versions, codes back to back) to fresh blocks; returns it unpublished.</summary>
    private PostingList WriteList(int head, ReadOnlySpan<int> ids, ReadOnlySpan<byte> versions, ReadOnlySpan<byte> codes)
    {
        PostingBlock layout = Store.Layout;
        int count = ids.Length;
        var blocks = new int[(count + layout.Capacity - 1) / layout.Capacity];
        Span<byte> block = BlockBuffer();
        for (int b = 0; b < blocks.Length; b++)
        {
            int first = b * layout.Capacity;
            int n = Math.Min(layout.Capacity, count - first);
            for (int j = 0; j < n; j++)
            {
                layout.WriteEntry(block, j, ids[first + j], versions[first + j], codes.Slice((first + j) * Space.CodeSize, Space.CodeSize));
            }

            layout.Seal(block, head, n);
            blocks[b] = Store.Allocate();
            Store.Write(blocks[b], block);
        }

        return new PostingList(blocks, count);
    }

    /// <summary>Reads every entry of a list (checked block by block) into <paramref name="into"/>.</summary>
    private void ReadList(int head, PostingList list, ListEntries into)
    {
        PostingBlock layout = Store.Layout;
        into.Reset(list.Count, Space.CodeSize);
        Span<byte> block = BlockBuffer();
        for (int b = 0; b < list.Blocks.Length; b++)
        {
            int n = layout.EntriesIn(list.Count, list.Blocks.Length, b);
            Store.Read(list.Blocks[b], block);
            if (!layout.IsIntact(block, head, n, Options.VerifyPostings))
            {
                ThrowCorruptBlock(head, list.Blocks[b]);
            }

            for (int j = 0; j < n; j++)
            {
                into.Add(layout.IdAt(block, j), layout.VersionAt(block, j), layout.CodeAt(block, j));
            }
        }
    }

    private Span<byte> BlockBuffer()
    {
        int bytes = Store.Layout.BlockBytes;
        if (_threadBlock is null || _threadBlock.Length < bytes)
        {
            _threadBlock?.Dispose();
            _threadBlock = new AlignedBuffer(bytes);
        }

        return _threadBlock.Span[..bytes];
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void ThrowCorruptBlock(int head, int block) =>
        throw new StoreCorruptionException(Store.File.Path, Store.OffsetOf(block), $"posting block {block} of list {head} fails its checksum or does not hold what the directory says; rebuild the index");

    /// <summary>Per-thread buffers of head selection.</summary>
    private sealed class UpdateScratch
    {
        public float[] Distances { get; private set; } = [];

        public int[] Ids { get; private set; } = [];

        public int[] Chosen { get; private set; } = [];

        public void Reserve(int candidates, int replicas)
        {
            if (Distances.Length < candidates)
            {
                Distances = new float[candidates];
                Ids = new int[candidates];
            }

            if (Chosen.Length < replicas)
            {
                Chosen = new int[replicas];
            }
        }
    }
}

/// <summary>The entries of a list read whole (for splits, merges and reassignment): ids, versions, codes packed.</summary>
internal sealed class ListEntries
{
    private int _codeSize;

    public int[] Ids { get; private set; } = [];

    public byte[] Versions { get; private set; } = [];

    public byte[] Codes { get; private set; } = [];

    public int Count { get; private set; }

    public ReadOnlySpan<byte> CodeAt(int i) => Codes.AsSpan(i * _codeSize, _codeSize);

    public void Reset(int capacity, int codeSize)
    {
        _codeSize = codeSize;
        Count = 0;
        if (Ids.Length < capacity)
        {
            Ids = new int[capacity];
            Versions = new byte[capacity];
            Codes = new byte[capacity * codeSize];
        }
    }

    public void Add(int id, byte version, ReadOnlySpan<byte> code)
    {
        Ids[Count] = id;
        Versions[Count] = version;
        code.CopyTo(Codes.AsSpan(Count * _codeSize));
        Count++;
    }
}
