using System.Buffers;
using System.Text;

namespace Store.Vectors;

public sealed partial class VectorCollection
{
    /// <summary>The <paramref name="k"/> nearest vectors to <paramref name="query"/>, nearest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">k is below 1 or above <see cref="MaxK"/>, or a knob is out of range.</exception>
    /// <exception cref="VectorDimensionException">The query's length is not the collection's dimension.</exception>
    /// <exception cref="InvalidVectorException">The query has a NaN or infinite component, is zero under cosine, or the element type cannot hold it.</exception>
    public VectorMatch[] Search(ReadOnlySpan<float> query, int k, VectorSearchOptions? options = null)
    {
        CheckK(k);
        VectorMatch[] rented = ArrayPool<VectorMatch>.Shared.Rent(k);
        try
        {
            int n = Search(query, rented.AsSpan(0, k), options);
            return rented[..n];
        }
        finally
        {
            ArrayPool<VectorMatch>.Shared.Return(rented);
        }
    }

    /// <summary>Fills <paramref name="results"/> (its length is k) with the nearest vectors, nearest first; returns how many.</summary>
    public int Search(ReadOnlySpan<float> query, Span<VectorMatch> results, VectorSearchOptions? options = null)
    {
        int k = results.Length;
        CheckK(k);
        int ef = options?.Ef ?? (Options.Index == VectorIndexKind.Spann ? Options.Spann.HeadGraph.EfSearch : Options.Hnsw.EfSearch);
        int lists = options?.Lists ?? Options.Spann.SearchLists;
        float epsilon = options?.Epsilon ?? Options.Spann.SearchEpsilon;
        if (ef is < 1 or > 4096 || lists is < 1 or > 1024 || !(epsilon >= 0) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Search knobs: Ef 1 to 4096, Lists 1 to 1024, Epsilon a finite number >= 0.");
        }

        byte[] codeBuffer = ArrayPool<byte>.Shared.Rent(Space.CodeSize);
        float[] distances = ArrayPool<float>.Shared.Rent(k);
        int[] ids = ArrayPool<int>.Shared.Rent(k);
        _swapLock.EnterReadLock();
        try
        {
            Span<byte> code = codeBuffer.AsSpan(0, Space.CodeSize);
            Space.Encode(query, code);
            int found = Options.Index switch
            {
                VectorIndexKind.Hnsw => _graph!.Search(code, ef, distances.AsSpan(0, k), ids.AsSpan(0, k)),
                VectorIndexKind.Spann => SearchSpann(code, k, ef, lists, epsilon, distances, ids),
                _ => ScanCodes(code, k, distances, ids),
            };
            long[] external = Volatile.Read(ref _externalIds);
            for (int i = 0; i < found; i++)
            {
                results[i] = new VectorMatch(external[ids[i]], distances[i]);
            }

            return found;
        }
        finally
        {
            _swapLock.ExitReadLock();
            ArrayPool<byte>.Shared.Return(codeBuffer);
            ArrayPool<float>.Shared.Return(distances);
            ArrayPool<int>.Shared.Return(ids);
        }
    }

    /// <summary>The payload stored with a vector; false if there is no vector with this id.</summary>
    public bool TryGetPayload(long id, out byte[] payload)
    {
        byte[]? value = _records.Get(KeyOf(id));
        if (value is null)
        {
            payload = [];
            return false;
        }

        payload = value[(CodeOffset(value) + Space.CodeSize)..];
        return true;
    }

    /// <summary>The stored vector, decoded (exact for Float32 and raw integer types); false if there is none with this id.</summary>
    public bool TryGetVector(long id, Span<float> vector)
    {
        if (vector.Length != Space.Dimension)
        {
            throw new VectorDimensionException(Space.Dimension, vector.Length);
        }

        byte[]? value = _records.Get(KeyOf(id));
        if (value is null)
        {
            return false;
        }

        Space.Decode(CodeOfRecord(value), vector);
        return true;
    }

    /// <summary>True if a vector with this id exists.</summary>
    public bool Contains(long id) => _records.TryGetInfo(KeyOf(id), out _);

    /// <summary>The id a vector name maps to, if a vector with that name exists.</summary>
    public bool TryGetId(string name, out long id)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        id = (long)Index.KeyOrder.Hash(Encoding.UTF8.GetBytes(name));
        for (int probe = 0; probe < 64; probe++, id++)
        {
            byte[]? existing = _records.Get(KeyOf(id));
            if (existing is null)
            {
                return false;
            }

            if (NameOfRecord(existing) == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name a vector was added under, if it was added by name.</summary>
    public bool TryGetName(long id, out string? name)
    {
        byte[]? value = _records.Get(KeyOf(id));
        name = value is null ? null : NameOfRecord(value);
        return name is not null;
    }

    private static void CheckK(int k)
    {
        if (k is < 1 or > MaxK)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k is 1 to {MaxK}.");
        }
    }

    /// <summary>SPANN (with its live updates), then an exact scan of vectors added before the first build, merged.</summary>
    private int SearchSpann(ReadOnlySpan<byte> code, int k, int ef, int lists, float epsilon, float[] distances, int[] ids)
    {
        int found = _spann?.Search(code, k, ef, lists, distances.AsSpan(0, k), ids.AsSpan(0, k), epsilon) ?? 0;
        if (_codes.Count == 0)
        {
            return found;
        }

        DistanceHeap top = SearchScratch.Current.Top;
        top.Clear();
        for (int i = 0; i < found; i++)
        {
            top.Push(distances[i], ids[i]);
        }

        ScanInto(top, code, k);
        return top.DrainAscending(distances.AsSpan(0, k), ids.AsSpan(0, k));
    }

    private int ScanCodes(ReadOnlySpan<byte> code, int k, float[] distances, int[] ids)
    {
        DistanceHeap top = SearchScratch.Current.Top;
        top.Clear();
        ScanInto(top, code, k);
        return top.DrainAscending(distances.AsSpan(0, k), ids.AsSpan(0, k));
    }

    /// <summary>Exact distances to every in-memory code not deleted, kept in a top-k heap.</summary>
    private void ScanInto(DistanceHeap top, ReadOnlySpan<byte> code, int k)
    {
        int count = _codes.Count;
        for (int i = 0; i < count; i++)
        {
            int internalId = _spannBuilt + i;
            if (IsDeleted(internalId))
            {
                continue;
            }

            top.Offer(Space.Distance(code, _codes[i]), internalId, k);
        }
    }
}
