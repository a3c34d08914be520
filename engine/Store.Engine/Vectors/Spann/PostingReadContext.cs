using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// What one SPANN search needs besides the index: an aligned read buffer, an AIO context (or none,
/// then lists are read one after another), the request and result arrays, a generation-stamped seen
/// set over vector ids (duplicates across lists cost one lookup) and the top-k heap. Pooled by the index.
/// </summary>
internal sealed class PostingReadContext : IDisposable
{
    private int[] _seen = [];
    private int _generation;
    private byte[] _unpacked = [];

    public PostingReadContext(int maxLists, int vectorCount)
    {
        Aio = LinuxAio.TryCreate(Math.Max(maxLists, 64));
        Requests = new ReadRequest[Math.Max(maxLists, 64)];
        Results = new long[Math.Max(maxLists, 64)];
        ListOffsets = new int[Math.Max(maxLists, 64)];
        Completed = new int[Math.Max(maxLists, 64)];
        EnsureVectors(vectorCount);
    }

    public LinuxAio? Aio { get; }

    public AlignedBuffer? Buffer { get; private set; }

    public ReadRequest[] Requests { get; private set; }

    public long[] Results { get; private set; }

    /// <summary>Request indices of reads that completed, as the AIO context reports them.</summary>
    public int[] Completed { get; private set; }

    /// <summary>Where each requested list starts in <see cref="Buffer"/>.</summary>
    public int[] ListOffsets { get; private set; }

    public DistanceHeap Top { get; } = new(max: true);

    public float[] HeadDistances { get; private set; } = new float[64];

    public int[] HeadIds { get; private set; } = new int[64];

    /// <summary>Room for <paramref name="lists"/> requests and <paramref name="bytes"/> of list data.</summary>
    public void Reserve(int lists, int bytes)
    {
        if (Requests.Length < lists)
        {
            Requests = new ReadRequest[lists];
            Results = new long[lists];
            ListOffsets = new int[lists];
            Completed = new int[lists];
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
    }

    /// <summary>Room to decompress a list body of <paramref name="length"/> bytes (reused).</summary>
    public Span<byte> Unpacked(int length)
    {
        if (_unpacked.Length < length)
        {
            _unpacked = new byte[Math.Max(length, _unpacked.Length * 2)];
        }

        return _unpacked.AsSpan(0, length);
    }

    /// <summary>Starts a search: no vector seen yet.</summary>
    public void Begin(int vectorCount)
    {
        EnsureVectors(vectorCount);
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seen);
            _generation = 1;
        }

        Top.Clear();
    }

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
            _seen = new int[count];
            _generation = 0;
        }
    }
}
