using System.Collections.Concurrent;

namespace Store.Vectors;

/// <summary>
/// Copies of the posting blocks written since the posting file was last synced, which searches read
/// from memory instead of the file. A direct (O_DIRECT) read of a range that still has dirty pages makes
/// the kernel write those pages back first, and on ext4 it does so holding the file's inode lock shared,
/// so every buffered write (each insert's appends) waits behind that device round trip: searches beside
/// a stream of inserts cost the writer milliseconds (bench/results/churn-*). Served from here, a search
/// never direct-reads a dirty block. Entries go once a sync covers them (<see cref="Forget"/>); their
/// buffers are reused only after the searches that might be copying from them drained (<see cref="TakeRetired"/>).
/// </summary>
internal sealed class UnsyncedBlocks(int blockBytes)
{
    private readonly ConcurrentDictionary<int, Entry> _entries = new();
    private readonly ConcurrentStack<byte[]> _spare = new();
    private readonly object _retiredLock = new();
    private List<byte[]> _retired = [];
    private long _sequence;
    private int _count;

    /// <summary>True when no block waits for a sync (searches then skip the lookups).</summary>
    public bool IsEmpty => _entries.IsEmpty;

    /// <summary>Blocks held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The write sequence so far: a sync started after reading it covers every block remembered up to it.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>Remembers a block just written to the file (after the write returned).</summary>
    public void Remember(int block, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = _spare.TryPop(out byte[]? reused) ? reused : new byte[blockBytes];
        bytes[..blockBytes].CopyTo(copy);
        var entry = new Entry(copy, Interlocked.Increment(ref _sequence));
        Entry? replaced = null;
        _entries.AddOrUpdate(block, entry, (_, old) =>
        {
            replaced = old;
            return entry;
        });
        if (replaced is not null)
        {
            Retire(replaced.Bytes);
        }
        else
        {
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Copies a held block; false if a sync let it go meanwhile (read it from the file then).</summary>
    public bool TryCopy(int block, Span<byte> destination)
    {
        if (!_entries.TryGetValue(block, out Entry? entry))
        {
            return false;
        }

        entry.Bytes.CopyTo(destination);
        return true;
    }

    /// <summary>Lets go of the blocks remembered up to <paramref name="synced"/> (a completed sync covered them).</summary>
    public void Forget(long synced)
    {
        foreach (KeyValuePair<int, Entry> pair in _entries)
        {
            if (pair.Value.Sequence <= synced && _entries.TryRemove(pair))
            {
                Interlocked.Decrement(ref _count);
                Retire(pair.Value.Bytes);
            }
        }
    }

    /// <summary>Buffers let go since the last call; hand them to <see cref="Reuse"/> once searches drained.</summary>
    public List<byte[]>? TakeRetired()
    {
        lock (_retiredLock)
        {
            if (_retired.Count == 0)
            {
                return null;
            }

            List<byte[]> taken = _retired;
            _retired = [];
            return taken;
        }
    }

    /// <summary>Buffers no search can be copying from any more.</summary>
    public void Reuse(List<byte[]> buffers)
    {
        foreach (byte[] buffer in buffers)
        {
            _spare.Push(buffer);
        }
    }

    private void Retire(byte[] buffer)
    {
        lock (_retiredLock)
        {
            _retired.Add(buffer);
        }
    }

    private sealed record Entry(byte[] Bytes, long Sequence);
}
