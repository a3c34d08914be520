using System.Buffers.Binary;
using System.Text;

namespace Store.Vectors;

public sealed partial class VectorCollection
{
    private const byte RecordVersion = 1;
    private const int RecordHeaderSize = 4; // version, flags, u16 name length
    private static readonly byte[] ChangedMark = [1];

    /// <summary>Adds or replaces the vector with this id (and its payload). Durable like a keyspace write.</summary>
    /// <exception cref="VectorDimensionException">The vector's length is not the collection's dimension.</exception>
    /// <exception cref="InvalidVectorException">A component is NaN or infinite, the vector is zero under cosine, or the element type cannot hold it.</exception>
    /// <exception cref="ArgumentException">The payload is larger than <see cref="VectorCollectionOptions.MaxPayloadBytes"/>.</exception>
    public void Add(long id, ReadOnlySpan<float> vector, ReadOnlySpan<byte> payload = default) => Add(id, null, vector, payload);

    /// <summary>Adds or replaces the vector named <paramref name="name"/>; returns the 64-bit id it maps to.</summary>
    public long Add(string name, ReadOnlySpan<float> vector, ReadOnlySpan<byte> payload = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long id = IdForName(name);
        Add(id, name, vector, payload);
        return id;
    }

    /// <summary>
    /// Adds or replaces many vectors: <paramref name="vectors"/> holds them row after row
    /// (ids.Count x Dimension floats). Encoded and indexed on every core; progress per batch.
    /// All are checked before any is written.
    /// </summary>
    public void AddRange(IReadOnlyList<long> ids, ReadOnlySpan<float> vectors, IReadOnlyList<byte[]>? payloads = null, IProgress<VectorProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int dimension = Space.Dimension;
        if (vectors.Length != (long)ids.Count * dimension)
        {
            throw new VectorDimensionException(dimension, ids.Count == 0 ? vectors.Length : vectors.Length / ids.Count);
        }

        if (payloads is not null && payloads.Count != ids.Count)
        {
            throw new ArgumentException($"{payloads.Count} payloads for {ids.Count} vectors.", nameof(payloads));
        }

        var values = new byte[ids.Count][];
        float[] all = vectors.ToArray();
        int firstBad = int.MaxValue;
        Exception? problem = null;
        Parallel.For(0, ids.Count, i =>
        {
            try
            {
                values[i] = EncodeRecord(all.AsSpan(i * dimension, dimension), null, payloads?[i] ?? []);
            }
            catch (Exception e) when (e is InvalidVectorException or ArgumentException)
            {
                lock (values)
                {
                    if (i < firstBad)
                    {
                        firstBad = i;
                        problem = e;
                    }
                }
            }
        });
        if (problem is InvalidVectorException invalid)
        {
            throw new InvalidVectorException($"Vector {firstBad} of the batch (id {ids[firstBad]}): {invalid.Message} Nothing was written.");
        }

        if (problem is not null)
        {
            throw new ArgumentException($"Vector {firstBad} of the batch (id {ids[firstBad]}): {problem.Message} Nothing was written.", nameof(payloads), problem);
        }

        const int Batch = 4096;
        lock (_writeLock)
        {
            _db.ThrowIfDisposed();
            for (int start = 0; start < ids.Count; start += Batch)
            {
                int end = Math.Min(ids.Count, start + Batch);
                var records = new List<KeyValuePair<byte[], byte[]>>(end - start);
                var marks = new List<KeyValuePair<byte[], byte[]>>(end - start);
                for (int i = start; i < end; i++)
                {
                    byte[] key = KeyOf(ids[i]);
                    records.Add(new(key, values[i]));
                    marks.Add(new(key, ChangedMark));
                }

                _changed.MultiSet(marks); // the mark first: a durable record always has its mark
                _records.MultiSet(records);
                int first = _codes.Count;
                for (int i = start; i < end; i++)
                {
                    Place(ids[i], CodeOfRecord(values[i]));
                }

                if (_graph is { } graph)
                {
                    int count = _codes.Count;
                    Parallel.For(first, count, graph.Insert);
                }

                progress?.Report(new VectorProgress("add", end, ids.Count));
                CountChanges(end - start);
            }
        }
    }

    /// <summary>Removes the vector; false if there was none with this id.</summary>
    public bool Remove(long id)
    {
        byte[] key = KeyOf(id);
        lock (_writeLock)
        {
            _db.ThrowIfDisposed();
            if (!_records.TryGetInfo(key, out _))
            {
                return false;
            }

            _changed.Set(key, ChangedMark);
            if (!_records.Delete(key))
            {
                return false;
            }

            if (TryForget(id, out int old))
            {
                MarkDeleted(old);
            }

            CountChanges(1);
            return true;
        }
    }

    /// <summary>Removes the vector named <paramref name="name"/>; false if there was none.</summary>
    public bool Remove(string name) => TryGetId(name, out long id) && Remove(id);

    private void Add(long id, string? name, ReadOnlySpan<float> vector, ReadOnlySpan<byte> payload)
    {
        byte[] value = EncodeRecord(vector, name, payload);
        byte[] key = KeyOf(id);
        lock (_writeLock)
        {
            _db.ThrowIfDisposed();
            _changed.Set(key, ChangedMark);
            _records.Set(key, value);
            int internalId = Place(id, CodeOfRecord(value));
            _graph?.Insert(internalId);
            CountChanges(1);
        }
    }

    /// <summary>Gives the vector a new internal id in memory (its old one, if any, dies); write lock held. Returns the internal id.</summary>
    private int Place(long id, ReadOnlySpan<byte> code)
    {
        if (TryForget(id, out int old))
        {
            MarkDeleted(old);
        }

        if (_spann is { } spann)
        {
            // Mapped before it is placed: a search that finds the new entry can name its vector.
            int placed = spann.AllocateId();
            MapInternal(placed, id);
            spann.Insert(placed, code);
            return placed;
        }

        int internalId = _spannBuilt + _codes.Append(code);
        MapInternal(internalId, id);
        return internalId;
    }

    /// <summary>Counts writes into a built SPANN index and checkpoints it every CheckpointChanges of them (write lock held).</summary>
    private void CountChanges(int n)
    {
        if (_spann is null)
        {
            return;
        }

        _sinceCheckpoint += n;
        if (_sinceCheckpoint >= Options.Spann.CheckpointChanges)
        {
            CheckpointSpann();
        }
    }

    /// <summary>Record value: version, flags (1 = named), u16 name length, name (UTF-8), code, payload.</summary>
    private byte[] EncodeRecord(ReadOnlySpan<float> vector, string? name, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > Options.MaxPayloadBytes)
        {
            throw new ArgumentException($"The payload is {payload.Length} bytes; this collection takes at most {Options.MaxPayloadBytes} (VectorCollectionOptions.MaxPayloadBytes).", nameof(payload));
        }

        int nameBytes = name is null ? 0 : Encoding.UTF8.GetByteCount(name);
        if (nameBytes > ushort.MaxValue)
        {
            throw new ArgumentException($"A vector name is at most {ushort.MaxValue} UTF-8 bytes.", nameof(name));
        }

        var value = new byte[RecordHeaderSize + nameBytes + Space.CodeSize + payload.Length];
        value[0] = RecordVersion;
        value[1] = name is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(2), (ushort)nameBytes);
        if (name is not null)
        {
            Encoding.UTF8.GetBytes(name, value.AsSpan(RecordHeaderSize));
        }

        Space.Encode(vector, value.AsSpan(RecordHeaderSize + nameBytes, Space.CodeSize));
        payload.CopyTo(value.AsSpan(RecordHeaderSize + nameBytes + Space.CodeSize));
        return value;
    }

    private ReadOnlySpan<byte> CodeOfRecord(ReadOnlySpan<byte> value) => value.Slice(CodeOffset(value), Space.CodeSize);

    private int CodeOffset(ReadOnlySpan<byte> value)
    {
        if (value.Length < RecordHeaderSize || value[0] != RecordVersion)
        {
            throw new StoreCorruptionException(_records.Name, 0, $"a vector record of collection '{Name}' has version {(value.Length > 0 ? value[0] : -1)}; this build reads version {RecordVersion}");
        }

        int offset = RecordHeaderSize + BinaryPrimitives.ReadUInt16LittleEndian(value[2..]);
        if (value.Length < offset + Space.CodeSize)
        {
            throw new StoreCorruptionException(_records.Name, 0, $"a vector record of collection '{Name}' is {value.Length} bytes, too short for its code");
        }

        return offset;
    }

    /// <summary>A stable 64-bit id for a name: a hash of its UTF-8 bytes, moved along on a collision with another name.</summary>
    private long IdForName(string name)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        long id = (long)Index.KeyOrder.Hash(utf8);
        for (int probe = 0; probe < 64; probe++, id++)
        {
            byte[]? existing = _records.Get(KeyOf(id));
            if (existing is null || NameOfRecord(existing) == name)
            {
                return id;
            }
        }

        throw new InvalidOperationException($"No free id for the name '{name}' after 64 probes.");
    }

    private string? NameOfRecord(ReadOnlySpan<byte> value) =>
        value.Length >= RecordHeaderSize && value[0] == RecordVersion && value[1] == 1
            ? Encoding.UTF8.GetString(value.Slice(RecordHeaderSize, BinaryPrimitives.ReadUInt16LittleEndian(value[2..])))
            : null;
}
