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

            SpannIndex.Build(building, Space, codes, ids, Options.Spann, progress).Dispose();

            // Swap the files in: the old index closes first (its files are replaced).
            _swapLock.EnterWriteLock();
            try
            {
                _spann?.Dispose();
                _spann = null;
                foreach (string stale in System.IO.Directory.GetFiles(Directory, SpannIndex.GraphFilePrefix + "*"))
                {
                    File.Delete(stale);
                }

                foreach (string file in System.IO.Directory.GetFiles(building))
                {
                    AtomicFile.Commit(file, System.IO.Path.Combine(Directory, System.IO.Path.GetFileName(file)));
                }

                System.IO.Directory.Delete(building);
                File.Delete(System.IO.Path.Combine(Directory, IdsFile)); // ids live in the SPANN state now
                _codes = new CodeStore(Space.CodeSize);
                _spann = SpannIndex.Open(Directory, Space, Options.Spann, out long[] external);
                ResetInternalIds(ids);
                _spannBuilt = ids.Count;
                _sinceCheckpoint = 0;
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

    /// <summary>At close: HNSW saves its graph; a SPANN index updated since its last checkpoint writes one.</summary>
    internal void Close()
    {
        lock (_writeLock)
        {
            if (Options.Index == VectorIndexKind.Hnsw && ChangedCount > 0)
            {
                SaveGraph();
            }

            if (_spann is not null && _sinceCheckpoint > 0)
            {
                CheckpointSpann();
            }

            _spann?.Dispose();
            _spann = null;
        }
    }

    private long ChangedCount => _changed.Count;

    private void LoadSpann()
    {
        if (!File.Exists(System.IO.Path.Combine(Directory, SpannIndex.StateFile)))
        {
            LoadAll(); // never built: every vector is searched exactly until the first build
            return;
        }

        long[] external;
        try
        {
            _spann = SpannIndex.Open(Directory, Space, Options.Spann, out external);
        }
        catch (UnsupportedFormatException e)
        {
            throw new UnsupportedFormatException(Directory, $"holds a SPANN index this build cannot read ({e.Message}). Delete the spann.* files in that folder, open the collection (it is then searched exactly) and call BuildIndex to rebuild it");
        }

        ResetInternalIds(external.AsSpan(0, _spann.BuiltCount).ToArray());
        _spannBuilt = _spann.BuiltCount;
        for (int i = _spannBuilt; i < external.Length; i++)
        {
            MapInternal(i, external[i]);
            if (!_spann.IsLive(i))
            {
                _internalIds.Remove(external[i]);
            }
        }

        // Writes since the checkpoint: each id's old entry dies and its record is placed anew.
        _sinceCheckpoint = (int)Math.Min(int.MaxValue, ChangedCount);
        ApplyChanged();
    }

    /// <summary>Checkpoints the SPANN index, then forgets the changed marks it covers (write lock held).</summary>
    private void CheckpointSpann()
    {
        int count = _spann!.Versions.Count;
        _spann.Checkpoint(Volatile.Read(ref _externalIds).AsSpan(0, count));
        ClearChanged();
        _sinceCheckpoint = 0;
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
