using Store.Storage;

namespace Store.Vectors;

public sealed partial class VectorCollection
{
    private const string IdsFile = "index.ids";
    private const uint IdsFormatVersion = 1;
    private const string HnswFile = "hnsw.graph";

    /// <summary>
    /// SPANN: builds the index over every vector now in the collection (writes block meanwhile;
    /// searches go on against the previous state and switch when it is done). HNSW: saves the graph
    /// so the next open loads it instead of re-linking. Flat: nothing to build.
    /// </summary>
    public void BuildIndex(IProgress<VectorProgress>? progress = null)
    {
        lock (_writeLock)
        {
            _db.ThrowIfDisposed();
            if (Options.Index == VectorIndexKind.Hnsw)
            {
                SaveGraph();
                return;
            }

            if (Options.Index != VectorIndexKind.Spann)
            {
                return;
            }

            // Every live vector, in id order, gets a fresh dense internal id.
            var codes = new CodeStore(Space.CodeSize);
            var ids = new List<long>((int)Math.Min(int.MaxValue, _records.Count));
            _records.ScanFrom([], (key, value) =>
            {
                ids.Add(IdOf(key));
                codes.Append(CodeOfRecord(value));
                return true;
            });
            progress?.Report(new VectorProgress("read", ids.Count, ids.Count));

            string building = System.IO.Path.Combine(Directory, "spann-building");
            if (System.IO.Directory.Exists(building))
            {
                System.IO.Directory.Delete(building, recursive: true);
            }

            SpannIndex built = SpannIndex.Build(building, Space, codes, Options.Spann, progress);
            built.Dispose();
            WriteIds(System.IO.Path.Combine(building, IdsFile), ids);

            // Swap the files in: the old index closes first (its files are replaced).
            _swapLock.EnterWriteLock();
            try
            {
                _spann?.Dispose();
                _spann = null;
                foreach (string file in System.IO.Directory.GetFiles(building))
                {
                    AtomicFile.Commit(file, System.IO.Path.Combine(Directory, System.IO.Path.GetFileName(file)));
                }

                System.IO.Directory.Delete(building);
                _spann = SpannIndex.Open(Directory, Space, Options.Spann);
                ResetInternalIds(ids);
                _spannBuilt = ids.Count;
                _codes = new CodeStore(Space.CodeSize);
            }
            finally
            {
                _swapLock.ExitWriteLock();
            }

            ClearChanged();
        }
    }

    /// <summary>Loads the index from its files and the records (at open).</summary>
    internal void Load()
    {
        lock (_writeLock)
        {
            switch (Options.Index)
            {
                case VectorIndexKind.Spann:
                    LoadSpann();
                    break;
                case VectorIndexKind.Hnsw:
                    LoadHnsw();
                    break;
                default:
                    LoadAll();
                    break;
            }
        }
    }

    /// <summary>At close: HNSW saves its graph. (SPANN's files are written by builds.)</summary>
    internal void Close()
    {
        lock (_writeLock)
        {
            if (Options.Index == VectorIndexKind.Hnsw && ChangedCount > 0)
            {
                SaveGraph();
            }

            _spann?.Dispose();
            _spann = null;
        }
    }

    private long ChangedCount => _changed.Count;

    private void LoadSpann()
    {
        string idsPath = System.IO.Path.Combine(Directory, IdsFile);
        if (!File.Exists(System.IO.Path.Combine(Directory, SpannIndex.HeadsFile)) || !File.Exists(idsPath))
        {
            LoadAll(); // never built: every vector is searched exactly until the first build
            return;
        }

        _spann = SpannIndex.Open(Directory, Space, Options.Spann);
        long[] built = ReadIds(idsPath);
        if (built.Length != _spann.VectorCount)
        {
            throw new StoreCorruptionException(idsPath, 0, $"{built.Length} ids for an index of {_spann.VectorCount} vectors");
        }

        ResetInternalIds(built);
        _spannBuilt = built.Length;

        // Vectors removed since the build die; those changed since are searched exactly beside it.
        for (int i = 0; i < built.Length; i++)
        {
            if (!_records.ContainsKeyInMemory(KeyOf(built[i])))
            {
                MarkDeleted(i);
            }
        }

        ApplyChanged();
    }

    private void LoadHnsw()
    {
        string idsPath = System.IO.Path.Combine(Directory, IdsFile);
        string graphPath = System.IO.Path.Combine(Directory, HnswFile);
        if (!File.Exists(graphPath) || !File.Exists(idsPath))
        {
            _graph = new HnswGraph(Space, _codes, Options.Hnsw);
            LoadAll();
            return;
        }

        long[] ids = ReadIds(idsPath);
        foreach (long id in ids)
        {
            // A vector removed since the save keeps a zero code as a dead waypoint.
            byte[]? value = _records.Get(KeyOf(id));
            int internalId = _codes.Append(value is null ? new byte[Space.CodeSize] : CodeOfRecord(value));
            MapInternal(internalId, id);
            if (value is null)
            {
                _internalIds.Remove(id);
                MarkDeleted(internalId);
            }
        }

        _graph = HnswGraph.Load(graphPath, Space, _codes, Options.Hnsw);
        if (_graph.NodeCount != ids.Length)
        {
            throw new StoreCorruptionException(graphPath, 0, $"{_graph.NodeCount} graph nodes for {ids.Length} ids");
        }

        for (int i = 0; i < ids.Length; i++)
        {
            if (IsDeleted(i))
            {
                _graph.MarkDeleted(i);
            }
        }

        ApplyChanged();
    }

    /// <summary>Every record into memory (and the graph, if any), in id order.</summary>
    private void LoadAll()
    {
        var added = new List<int>();
        _records.ScanFrom([], (key, value) =>
        {
            added.Add(Place(IdOf(key), CodeOfRecord(value)));
            return true;
        });
        if (_graph is { } graph)
        {
            Parallel.ForEach(added, graph.Insert);
        }
    }

    /// <summary>Replays the ids written since the index files were: each one's old entry dies, its record (if any) is placed anew.</summary>
    private void ApplyChanged()
    {
        var changed = new List<long>();
        _changed.ScanFrom([], (key, _) =>
        {
            changed.Add(IdOf(key));
            return true;
        });
        foreach (long id in changed)
        {
            if (TryForget(id, out int old))
            {
                MarkDeleted(old);
            }

            byte[]? value = _records.Get(KeyOf(id));
            if (value is not null)
            {
                int internalId = Place(id, CodeOfRecord(value));
                _graph?.Insert(internalId);
            }
        }
    }

    private void SaveGraph()
    {
        if (_graph is null)
        {
            return;
        }

        int count = _codes.Count;
        long[] external = Volatile.Read(ref _externalIds);
        WriteIds(System.IO.Path.Combine(Directory, IdsFile), external.AsSpan(0, count).ToArray());
        _graph.Save(System.IO.Path.Combine(Directory, HnswFile));
        ClearChanged();
    }

    private void ClearChanged()
    {
        var keys = new List<byte[]>();
        _changed.ScanFrom([], (key, _) =>
        {
            keys.Add(key.ToArray());
            return true;
        });
        foreach (byte[] key in keys)
        {
            _changed.Delete(key);
        }
    }

    /// <summary>The ids of a SPANN build, ascending, become internal ids 0..n-1.</summary>
    private void ResetInternalIds(IReadOnlyList<long> ids)
    {
        _internalIds.Clear();
        var external = new long[Math.Max(1024, ids.Count)];
        for (int i = 0; i < ids.Count; i++)
        {
            external[i] = ids[i]; // ascending: found by binary search, no map entry
        }

        Volatile.Write(ref _externalIds, external);
        Volatile.Write(ref _deleted, new ulong[(external.Length >> 6) + 1]);
        _deletedCount = 0;
    }

    private static void WriteIds(string path, IReadOnlyList<long> ids)
    {
        using var writer = new ChecksummedWriter(path, FileHeader.VectorIdsMagic, IdsFormatVersion, (ulong)ids.Count);
        foreach (long id in ids)
        {
            writer.WriteInt64(id);
        }

        writer.Commit();
    }

    private static long[] ReadIds(string path)
    {
        using var reader = new ChecksummedReader(path, FileHeader.VectorIdsMagic, IdsFormatVersion);
        var ids = new long[checked((int)reader.Header.Value)];
        reader.Read<long>(ids);
        if (!reader.AtEnd)
        {
            throw new StoreCorruptionException(path, 0, "bytes follow the last id");
        }

        return ids;
    }
}
