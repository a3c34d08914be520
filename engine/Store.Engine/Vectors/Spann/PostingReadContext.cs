using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// What one SPANN search needs besides the index: an aligned read buffer, an AIO context (or none,
/// then lists are read one after another), the request and result arrays (a request is a run of adjacent blocks of one list), a generation-stamped seen
/// set over vector ids (duplicates across lists cost one lookup) and the top-k heap. Pooled by the index.
/// </summary>
internal sealed class PostingReadContext : IDisposable
{
    private const int AioCapacity = 256;

    private int[] _seen = [];
    private int _generation;

    public PostingReadContext(int maxLists, int vectorCount)
    {
        Aio = LinuxAio.TryCreate(Math.Max(maxLists * 4, AioCapacity));
        Requests = new ReadRequest[AioCapacity];
        Results = new long[AioCapacity];
        RequestList = new int[AioCapacity];
        RequestFirstBlock = new int[AioCapacity];
        RequestBlocks = new int[AioCapacity];
        RequestInMemory = new bool[AioCapacity];
        Completed = new int[AioCapacity];
        EnsureVectors(vectorCount);
    }

    public LinuxAio? Aio { get; }

    public AlignedBuffer? Buffer { get; private set; }

    public ReadRequest[] Requests { get; private set; }

    public long[] Results { get; private set; }

    /// <summary>Request indices of reads that completed, as the AIO context reports them.</summary>
    public int[] Completed { get; private set; }

    /// <summary>Per request: which chosen list (index into <see cref="HeadIds"/>) it reads.</summary>
    public int[] RequestList { get; private set; }

    /// <summary>Per request: the index of its first block within the list.</summary>
    public int[] RequestFirstBlock { get; private set; }

    /// <summary>Per request: how many adjacent blocks it reads.</summary>
    public int[] RequestBlocks { get; private set; }

    /// <summary>Per request: its block was copied from memory (written since the last sync), nothing to read.</summary>
    public bool[] RequestInMemory { get; private set; }

    /// <summary>The list of each chosen head as the search found it (null: removed).</summary>
    public PostingList?[] Lists { get; private set; } = new PostingList?[64];

    public DistanceHeap Top { get; } = new(max: true);

    public float[] HeadDistances { get; private set; } = new float[64];

    public int[] HeadIds { get; private set; } = new int[64];

    /// <summary>Room for <paramref name="requests"/> requests and <paramref name="bytes"/> of blocks.</summary>
    public void Reserve(int requests, int bytes)
    {
        if (Requests.Length < requests)
        {
            Requests = new ReadRequest[requests];
            Results = new long[requests];
            RequestList = new int[requests];
            RequestFirstBlock = new int[requests];
            RequestBlocks = new int[requests];
            RequestInMemory = new bool[requests];
            Completed = new int[requests];
        }

        if (Buffer is null || Buffer.Length < bytes)
        {
            Buffer?.Dispose();
            Buffer = new AlignedBuffer(Math.Max(bytes, 1 << 20));
        }
    }

    public void ReserveHeads(int count)
    {
        if (HeadDistances.Length < count)
        {
            HeadDistances = new float[count];
            HeadIds = new int[count];
        }

        if (Lists.Length < count)
        {
            Lists = new PostingList?[count];
        }
    }

    /// <summary>Starts a search: no vector seen yet.</summary>
    public void Begin(int vectorCount)
    {
        EnsureVectors(vectorCount);
        VectorsAtBegin = vectorCount;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seen);
            _generation = 1;
        }

        Top.Clear();
    }

    /// <summary>Internal ids below this existed when the search began (<see cref="FirstSight"/> covers them).</summary>
    public int VectorsAtBegin { get; private set; }

    /// <summary>Marks a vector seen; false if it already was.</summary>
    public bool FirstSight(int id)
    {
        if (_seen[id] == _generation)
        {
            return false;
        }

        _seen[id] = _generation;
        return true;
    }

    public void Dispose()
    {
        Aio?.Dispose();
        Buffer?.Dispose();
    }

    private void EnsureVectors(int count)
    {
        if (_seen.Length < count)
        {
            _seen = new int[count + (count / 4)]; // headroom: inserts keep adding ids
            _generation = 0;
        }
    }
}
