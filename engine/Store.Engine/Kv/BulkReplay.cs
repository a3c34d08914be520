using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Store.Index;
using Store.Storage;

namespace Store.Kv;

/// <summary>
/// Full-log recovery into empty indexes. Segments are checked concurrently; each valid record
/// leaves a 16-byte note (key prefix, log address) in a list of its segment and keyspace. The
/// notes of a keyspace are then sorted by (key, address) on every core (sampled splitters cut
/// them into ranges of whole prefixes) and only each key's last record is applied, in key order,
/// its header and key read back from the mapped log with the next records prefetched. Random index
/// inserts become sequential appends, and overwritten or deleted keys cost nothing. Replay with a
/// checkpoint applies records one by one instead.
/// </summary>
internal sealed class BulkReplay(RecordLog log)
{
    /// <summary>Notes ahead of the one being applied whose records are prefetched.</summary>
    private const int PrefetchDistance = 16;

    /// <summary>Fewest notes per range worth a thread of its own.</summary>
    private const int NotesPerRange = 1 << 16;

    private readonly List<SegmentNotes> _segments = [];

    /// <summary>Records noted (every segment, every keyspace).</summary>
    public long Count => _segments.Sum(s => s.Count);

    /// <summary>Checks the whole log, noting every valid record (segments on several threads at once).</summary>
    public void Scan()
    {
        log.Replay(0, 0, VisitorFor, concurrent: true, out int kept);
        _segments.RemoveAll(s => s.Index >= kept); // after a cut: what later segments held is gone
    }

    private ReplayVisitor VisitorFor(int segment)
    {
        var notes = new SegmentNotes(segment);
        lock (_segments)
        {
            _segments.Add(notes);
        }

        return notes.Add;
    }

    /// <summary>Sorts and applies the surviving record of every key; returns the keys restored and the records of unknown keyspaces.</summary>
    public (long Restored, long UnknownKeyspace) Apply(Database db, long now, Dictionary<long, long> liveBytes)
    {
        long restored = 0, unknown = 0;
        foreach (int id in _segments.SelectMany(s => s.Keyspaces).Distinct().Order())
        {
            NoteChunk[] chunks = [.. _segments.OrderBy(s => s.Index).SelectMany(s => s.ChunksOf(id))];
            if (db.KeyspaceById(id) is not { } keyspace)
            {
                unknown += chunks.Sum(c => (long)c.Count);
                continue;
            }

            restored += Restore(keyspace, Sort(chunks), now, liveBytes);
        }

        _segments.Clear();
        return (restored, unknown);
    }

    /// <summary>
    /// Sorts the notes of one keyspace (chunks in log order) by (prefix, key, address) on every core:
    /// splitters from a sorted sample of prefixes cut them into ranges (all notes of one prefix in
    /// one range) while they are copied out of the chunks, each range is radix-sorted by prefix on
    /// its own thread, then its runs of equal prefixes by key. Every step is stable, so the notes of
    /// one key stay in log order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Notes Sort(NoteChunk[] chunks)
    {
        int count = chunks.Sum(c => c.Count);
        int ranges = Math.Clamp(count / NotesPerRange, 1, Math.Min(Environment.ProcessorCount, 64));
        var sorted = new Notes(new ulong[count], new long[count]);
        var scratch = new Notes(new ulong[count], new long[count]);
        if (ranges == 1)
        {
            int at = 0;
            foreach (NoteChunk chunk in chunks)
            {
                chunk.Prefixes.AsSpan(0, chunk.Count).CopyTo(sorted.Prefixes.AsSpan(at));
                chunk.Addresses.AsSpan(0, chunk.Count).CopyTo(sorted.Addresses.AsSpan(at));
                at += chunk.Count;
            }

            SortRange(sorted, scratch, 0, count);
            return sorted;
        }

        // Splitters: a regular sample of all prefixes, sorted.
        var sample = new ulong[ranges * 64];
        for (int i = 0, c = 0, before = 0; i < sample.Length; i++)
        {
            int index = (int)((long)i * count / sample.Length);
            while (index - before >= chunks[c].Count)
            {
                before += chunks[c++].Count;
            }

            sample[i] = chunks[c].Prefixes[index - before];
        }

        Array.Sort(sample);
        var splitters = new ulong[ranges - 1];
        for (int r = 1; r < ranges; r++)
        {
            splitters[r - 1] = sample[r * sample.Length / ranges];
        }

        // Count each range (remembering every note's range), then copy the notes out range by range.
        var rangeOf = new byte[count];
        var starts = new int[ranges + 1];
        int n = 0;
        foreach (NoteChunk chunk in chunks)
        {
            for (int i = 0; i < chunk.Count; i++)
            {
                int r = RangeOf(splitters, chunk.Prefixes[i]);
                rangeOf[n++] = (byte)r;
                starts[r + 1]++;
            }
        }

        for (int r = 0; r < ranges; r++)
        {
            starts[r + 1] += starts[r];
        }

        int[] next = [.. starts];
        n = 0;
        foreach (NoteChunk chunk in chunks)
        {
            for (int i = 0; i < chunk.Count; i++)
            {
                int to = next[rangeOf[n++]]++;
                sorted.Prefixes[to] = chunk.Prefixes[i];
                sorted.Addresses[to] = chunk.Addresses[i];
            }
        }

        Parallel.For(0, ranges, r => SortRange(sorted, scratch, starts[r], starts[r + 1] - starts[r]));
        return sorted;
    }

    /// <summary>Sorts notes[start..start+length] in place, using the same slice of <paramref name="scratch"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SortRange(Notes notes, Notes scratch, int start, int length)
    {
        Span<ulong> prefixes = notes.Prefixes.AsSpan(start, length);
        Span<long> addresses = notes.Addresses.AsSpan(start, length);
        RadixSort(prefixes, addresses, scratch.Prefixes.AsSpan(start, length), scratch.Addresses.AsSpan(start, length));
        int run = 0;
        while (run < length)
        {
            int end = run + 1;
            while (end < length && prefixes[end] == prefixes[run])
            {
                end++;
            }

            if (end - run > 1)
            {
                addresses[run..end].Sort(new KeyThenAddress(log)); // same prefix: a key rewritten, or keys sharing 8 bytes
            }

            run = end;
        }
    }

    /// <summary>
    /// Stable LSD radix sort of (prefix, address) pairs by prefix: 11-bit digits, one counting pass
    /// for all of them, and no pass for a digit every prefix shares (keys with a common start).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RadixSort(Span<ulong> keys, Span<long> items, Span<ulong> keysScratch, Span<long> itemsScratch)
    {
        const int Bits = 11, Buckets = 1 << Bits, Passes = (64 + Bits - 1) / Bits;
        const ulong Mask = Buckets - 1;
        int n = keys.Length;
        var counts = new int[Passes * Buckets];
        foreach (ulong key in keys)
        {
            for (int p = 0; p < Passes; p++)
            {
                counts[(p * Buckets) + (int)((key >> (p * Bits)) & Mask)]++;
            }
        }

        bool inScratch = false;
        for (int p = 0; p < Passes; p++)
        {
            Span<int> offsets = counts.AsSpan(p * Buckets, Buckets);
            if (offsets.Contains(n))
            {
                continue; // every prefix has the same digit here
            }

            int sum = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = offsets[b];
                offsets[b] = sum;
                sum += c;
            }

            Span<ulong> fromKeys = inScratch ? keysScratch : keys, toKeys = inScratch ? keys : keysScratch;
            Span<long> fromItems = inScratch ? itemsScratch : items, toItems = inScratch ? items : itemsScratch;
            int shift = p * Bits;
            for (int i = 0; i < n; i++)
            {
                ulong key = fromKeys[i];
                int to = offsets[(int)((key >> shift) & Mask)]++;
                toKeys[to] = key;
                toItems[to] = fromItems[i];
            }

            inScratch = !inScratch;
        }

        if (inScratch)
        {
            keysScratch.CopyTo(keys);
            itemsScratch.CopyTo(items);
        }
    }

    /// <summary>The range of a prefix: how many splitters are below it (equal prefixes always agree).</summary>
    private static int RangeOf(ulong[] splitters, ulong prefix)
    {
        int r = 0;
        while (r < splitters.Length && splitters[r] < prefix)
        {
            r++;
        }

        return r;
    }

    /// <summary>
    /// Applies the sorted notes: one thread reads each key's surviving record from the log into
    /// batches (headers and keys, the next records prefetched), the calling thread builds the index
    /// from them; small keyspaces do both on the calling thread.
    /// </summary>
    private long Restore(Keyspace keyspace, Notes notes, long now, Dictionary<long, long> liveBytes)
    {
        long restored = 0;
        void Build(Survivors batch)
        {
            for (int i = 0; i < batch.Count; i++)
            {
                keyspace.Restore(batch.Key(i), batch.Addresses[i], batch.Expiries[i], batch.Categories[i], batch.RawLengths[i]);
            }

            restored += batch.Count;
        }

        if (notes.Addresses.Length < NotesPerRange || Environment.ProcessorCount < 2)
        {
            var only = new Survivors();
            ReadSurvivors(notes, now, liveBytes, only, batch =>
            {
                Build(batch);
                batch.Clear();
                return batch;
            });
            return restored;
        }

        using var full = new System.Collections.Concurrent.BlockingCollection<Survivors>();
        using var free = new System.Collections.Concurrent.BlockingCollection<Survivors>();
        for (int i = 0; i < 3; i++)
        {
            free.Add(new Survivors());
        }

        Task reader = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    ReadSurvivors(notes, now, liveBytes, free.Take(), batch =>
                    {
                        full.Add(batch);
                        return free.Take();
                    });
                }
                finally
                {
                    full.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        foreach (Survivors batch in full.GetConsumingEnumerable())
        {
            Build(batch);
            batch.Clear();
            free.Add(batch);
        }

        reader.GetAwaiter().GetResult(); // rethrows what the reader met
        return restored;
    }

    /// <summary>
    /// Reads, in key order, the last record of every key that is a live put into batches handed to
    /// <paramref name="emit"/> (which returns an empty batch to go on with); counts live bytes per segment.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadSurvivors(Notes notes, long now, Dictionary<long, long> liveBytes, Survivors batch, Func<Survivors, Survivors> emit)
    {
        ulong[] prefixes = notes.Prefixes;
        long[] addresses = notes.Addresses;
        long segmentSize = log.SegmentSize;
        long firstSegment = addresses.Length == 0 ? 0 : addresses.Min() / segmentSize;
        var live = new long[addresses.Length == 0 ? 0 : (addresses.Max() / segmentSize) - firstSegment + 1];
        for (int k = 0; k < addresses.Length; k++)
        {
            if (k + PrefetchDistance < addresses.Length)
            {
                log.PrefetchRecovered(addresses[k + PrefetchDistance]);
            }

            long address = addresses[k];
            if (k + 1 < addresses.Length && prefixes[k + 1] == prefixes[k] && SameKey(address, addresses[k + 1]))
            {
                continue; // a later record of this key wins
            }

            ReadOnlySpan<byte> record = log.RecoveredRecord(address);
            RecordHeader header = RecordHeader.Read(record);
            if (header.Kind != RecordKind.Put || (header.Expiry != 0 && header.Expiry <= now))
            {
                continue;
            }

            ReadOnlySpan<byte> key = record.Slice(RecordHeader.Size, header.KeyLength);
            int raw = (header.Flags & RecordFlags.Compressed) != 0
                ? BinaryPrimitives.ReadInt32LittleEndian(record[(RecordHeader.Size + header.KeyLength)..])
                : header.ValueLength;
            if (batch.IsFull)
            {
                batch = emit(batch);
            }

            batch.Add(key, address, header.Expiry, header.Category, raw);
            live[(address / segmentSize) - firstSegment] += header.AlignedLength;
        }

        if (batch.Count > 0)
        {
            emit(batch);
        }

        for (int i = 0; i < live.Length; i++)
        {
            if (live[i] != 0)
            {
                System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(liveBytes, firstSegment + i, out _) += live[i];
            }
        }
    }

    private bool SameKey(long a, long b) => KeyAt(log, a).SequenceEqual(KeyAt(log, b));

    private static ReadOnlySpan<byte> KeyAt(RecordLog log, long address)
    {
        ReadOnlySpan<byte> record = log.RecoveredRecord(address);
        return record.Slice(RecordHeader.Size, BinaryPrimitives.ReadInt32LittleEndian(record[32..]));
    }

    /// <summary>Checked records: the first 8 key bytes of each (big-endian, for ordering) and where it lies.</summary>
    private readonly record struct Notes(ulong[] Prefixes, long[] Addresses);

    /// <summary>Records of one prefix by (key, address): a key's records in log order, its last one last.</summary>
    private readonly struct KeyThenAddress(RecordLog log) : IComparer<long>
    {
        public int Compare(long x, long y)
        {
            int byKey = KeyAt(log, x).SequenceCompareTo(KeyAt(log, y));
            return byKey != 0 ? byKey : x.CompareTo(y);
        }
    }

    /// <summary>The notes of one segment, a growable list per keyspace (a segment is scanned by one thread).</summary>
    private sealed class SegmentNotes(int index)
    {
        private readonly Dictionary<int, NoteList> _byKeyspace = [];
        private int _lastKeyspace = -1;
        private NoteList? _last;

        public int Index => index;

        public long Count => _byKeyspace.Values.Sum(l => l.Count);

        public IEnumerable<int> Keyspaces => _byKeyspace.Keys;

        public IEnumerable<NoteChunk> ChunksOf(int keyspace) =>
            _byKeyspace.TryGetValue(keyspace, out NoteList? list) ? list.Chunks : [];

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored)
        {
            if (header.Keyspace != _lastKeyspace)
            {
                _lastKeyspace = header.Keyspace;
                if (!_byKeyspace.TryGetValue(header.Keyspace, out _last))
                {
                    _byKeyspace[header.Keyspace] = _last = new NoteList();
                }
            }

            _last!.Add(KeyOrder.Prefix(key), address);
        }
    }

    /// <summary>Surviving records in key order, read from the log and waiting to be indexed.</summary>
    private sealed class Survivors
    {
        private const int Capacity = 4096;
        public readonly long[] Addresses = new long[Capacity];
        public readonly long[] Expiries = new long[Capacity];
        public readonly int[] Categories = new int[Capacity];
        public readonly int[] RawLengths = new int[Capacity];
        private readonly int[] _keyEnds = new int[Capacity];
        private byte[] _keys = new byte[Capacity * 32];

        public int Count { get; private set; }

        public bool IsFull => Count == Capacity;

        public ReadOnlySpan<byte> Key(int i)
        {
            int start = i == 0 ? 0 : _keyEnds[i - 1];
            return _keys.AsSpan(start, _keyEnds[i] - start);
        }

        public void Add(ReadOnlySpan<byte> key, long address, long expiry, int category, int rawLength)
        {
            int start = Count == 0 ? 0 : _keyEnds[Count - 1];
            if (start + key.Length > _keys.Length)
            {
                Array.Resize(ref _keys, Math.Max(_keys.Length * 2, start + key.Length));
            }

            key.CopyTo(_keys.AsSpan(start));
            _keyEnds[Count] = start + key.Length;
            Addresses[Count] = address;
            Expiries[Count] = expiry;
            Categories[Count] = category;
            RawLengths[Count++] = rawLength;
        }

        public void Clear() => Count = 0;
    }

    /// <summary>A run of notes in log order; the first <see cref="Count"/> entries are used.</summary>
    private sealed record NoteChunk(ulong[] Prefixes, long[] Addresses)
    {
        public int Count { get; set; }
    }

    /// <summary>Notes in fixed-size chunks: growing never copies, and at most one chunk is part-empty.</summary>
    private sealed class NoteList
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<NoteChunk> _chunks = [];
        private NoteChunk _last = new([], []);

        public IReadOnlyList<NoteChunk> Chunks => _chunks;

        public long Count => _chunks.Sum(c => (long)c.Count);

        public void Add(ulong prefix, long address)
        {
            NoteChunk last = _last;
            int used = last.Count;
            if (used == last.Prefixes.Length)
            {
                _last = last = new NoteChunk(new ulong[ChunkSize], new long[ChunkSize]);
                _chunks.Add(last);
                used = 0;
            }

            last.Prefixes[used] = prefix;
            last.Addresses[used] = address;
            last.Count = used + 1;
        }
    }
}
