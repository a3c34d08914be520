using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// The blocks of the posting file and who may reuse them. Shadow paging: a block the last durable
/// checkpoint refers to is never overwritten before the next checkpoint is durable, so after a crash the
/// checkpoint's lists are whole; a block is reused only after every search that might still be reading
/// it has finished (<see cref="TakeReclaimable"/> / <see cref="Reclaim"/> around a search barrier).
/// Allocation and freeing are thread-safe. Searches read through <see cref="File"/> (O_DIRECT where the
/// file system allows); updates read and write whole blocks through an ordinary descriptor, so an append
/// costs a page-cache copy, not a device round trip (Linux keeps the two coherent: a direct read first
/// writes back dirty pages in its range). The file is fsynced at each checkpoint.
/// </summary>
internal sealed class PostingStore : IDisposable
{
    /// <summary>Most block copies kept for searches before a writer syncs the file itself (64 MiB of 4 KiB blocks).</summary>
    internal const int MaxUnsyncedBlocks = 16_384;

    private readonly object _lock = new();
    private readonly Stack<int> _free = new();

    // Freed blocks not referred to by the last checkpoint: reusable once searches drained.
    private List<int> _drainPending = [];

    // Freed blocks the last checkpoint refers to: reusable after the next checkpoint (and a drain).
    private List<int> _checkpointPending = [];

    // Blocks allocated since the last checkpoint (bit per block).
    private ulong[] _fresh = new ulong[64];
    private int _blockCount;

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _buffered;

    private PostingStore(DirectFile file, Microsoft.Win32.SafeHandles.SafeFileHandle buffered, PostingBlock layout, int blockCount)
    {
        File = file;
        _buffered = buffered;
        Layout = layout;
        Unsynced = new UnsyncedBlocks(layout.BlockBytes);
        _blockCount = Math.Max(1, blockCount);
    }

    public DirectFile File { get; }

    public PostingBlock Layout { get; }

    /// <summary>Blocks in the file, block 0 (the header) included.</summary>
    public int BlockCount
    {
        get
        {
            lock (_lock)
            {
                return _blockCount;
            }
        }
    }

    /// <summary>Blocks free now or waiting to be (for tests and statistics).</summary>
    public int FreeBlocks
    {
        get
        {
            lock (_lock)
            {
                return _free.Count + _drainPending.Count + _checkpointPending.Count;
            }
        }
    }

    /// <summary>Opens the file for reads and writes; every block not in <paramref name="used"/> is free.</summary>
    public static PostingStore Open(string path, VectorSpace space, IEnumerable<int> used)
    {
        PostingBlock layout = PostingFile.ReadHeader(path, space);
        DirectFile file = DirectFile.OpenRead(path);
        Microsoft.Win32.SafeHandles.SafeFileHandle buffered = System.IO.File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        long length = RandomAccess.GetLength(buffered);
        int blocks = (int)Math.Max(1, length / layout.BlockBytes);
        var store = new PostingStore(file, buffered, layout, blocks);
        var taken = new bool[blocks];
        foreach (int block in used)
        {
            if (block < 1 || block >= blocks || taken[block])
            {
                store.Dispose();
                throw new StoreCorruptionException(path, 0, $"the index checkpoint names block {block} twice or outside the file's {blocks} blocks; rebuild the index");
            }

            taken[block] = true;
        }

        for (int b = blocks - 1; b >= 1; b--)
        {
            if (!taken[b])
            {
                store._free.Push(b);
            }
        }

        return store;
    }

    public long OffsetOf(int block) => (long)block * Layout.BlockBytes;

    /// <summary>A block to write a new list block to: a reusable one, else one past the end of the file.</summary>
    public int Allocate()
    {
        lock (_lock)
        {
            int block = _free.Count > 0 ? _free.Pop() : _blockCount++;
            if ((block >> 6) >= _fresh.Length)
            {
                Array.Resize(ref _fresh, Math.Max(_fresh.Length * 2, (block >> 6) + 1));
            }

            _fresh[block >> 6] |= 1UL << (block & 63);
            return block;
        }
    }

    /// <summary>A block no list refers to any more (after the list that dropped it was published).</summary>
    public void Free(int block)
    {
        lock (_lock)
        {
            bool fresh = (block >> 6) < _fresh.Length && (_fresh[block >> 6] & (1UL << (block & 63))) != 0;
            (fresh ? _drainPending : _checkpointPending).Add(block);
        }
    }

    /// <summary>The checkpoint just made durable refers to every block in use: earlier frees may be drained and reused.</summary>
    public void CheckpointDurable()
    {
        lock (_lock)
        {
            _drainPending.AddRange(_checkpointPending);
            _checkpointPending = [];
            Array.Clear(_fresh);
        }
    }

    /// <summary>Takes the blocks waiting for searches to drain; hand them to <see cref="Reclaim"/> after a search barrier.</summary>
    public List<int>? TakeReclaimable()
    {
        lock (_lock)
        {
            if (_drainPending.Count == 0)
            {
                return null;
            }

            List<int> taken = _drainPending;
            _drainPending = [];
            return taken;
        }
    }

    /// <summary>Blocks no search can be reading any more become reusable.</summary>
    public void Reclaim(List<int> blocks)
    {
        lock (_lock)
        {
            foreach (int block in blocks)
            {
                _free.Push(block);
            }
        }
    }

    public void Read(int block, Span<byte> buffer)
    {
        int n = RandomAccess.Read(_buffered, buffer[..Layout.BlockBytes], OffsetOf(block));
        if (n != Layout.BlockBytes)
        {
            throw new StoreCorruptionException(File.Path, OffsetOf(block), $"posting block {block} could only be read for {n} of {Layout.BlockBytes} bytes (the file was cut short); rebuild the index");
        }
    }

    /// <summary>
    /// Writes a block through the page cache and keeps a copy for searches until a sync covers it
    /// (<see cref="Unsynced"/>). Past <see cref="MaxUnsyncedBlocks"/> copies (the maintenance thread's
    /// periodic sync fell behind, e.g. during a long split) the writer syncs itself, which bounds them.
    /// </summary>
    public void Write(int block, ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(_buffered, buffer[..Layout.BlockBytes], OffsetOf(block));
        Unsynced.Remember(block, buffer);
        if (Unsynced.Count > MaxUnsyncedBlocks)
        {
            Flush();
        }
    }

    /// <summary>Copies of the blocks written since the last sync; searches read those from here.</summary>
    public UnsyncedBlocks Unsynced { get; }

    /// <summary>fsync: every block written so far is durable (and no longer held in memory).</summary>
    public void Flush()
    {
        long synced = Unsynced.Sequence;
        RandomAccess.FlushToDisk(_buffered);
        Unsynced.Forget(synced);
    }

    public void Dispose()
    {
        File.Dispose();
        _buffered.Dispose();
    }
}
