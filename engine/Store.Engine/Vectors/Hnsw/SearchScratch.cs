namespace Store.Vectors;

/// <summary>
/// Per-thread working memory of a graph search: a visited set stamped by generation (cleared in O(1))
/// and the two heaps of the beam. Reused across searches, so a search allocates nothing.
/// </summary>
internal sealed class SearchScratch
{
    [ThreadStatic]
    private static SearchScratch? _current;

    private int[] _visited = new int[1024];
    private int _generation;
    private float[] _distances = new float[256];
    private int[] _ids = new int[256];

    public DistanceHeap Candidates { get; } = new(max: false);

    public DistanceHeap Results { get; } = new(max: true);

    /// <summary>The k nearest of an exact scan, or of a merge of index results with one (a collection's own heap: graph searches leave it alone).</summary>
    public DistanceHeap Top { get; } = new(max: true);

    public static SearchScratch Current => _current ??= new SearchScratch();

    /// <summary>Starts a search over ids below <paramref name="count"/>: nothing is visited yet.</summary>
    public void Begin(int count)
    {
        if (_visited.Length < count)
        {
            _visited = new int[Math.Max(count, _visited.Length * 2)];
            _generation = 0;
        }

        if (++_generation == int.MaxValue)
        {
            Array.Clear(_visited);
            _generation = 1;
        }

        Candidates.Clear();
        Results.Clear();
    }

    /// <summary>Result buffers of at least <paramref name="length"/> entries (reused: valid until the next call).</summary>
    public (float[] Distances, int[] Ids) Buffers(int length)
    {
        if (_distances.Length < length)
        {
            _distances = new float[length];
            _ids = new int[length];
        }

        return (_distances, _ids);
    }

    /// <summary>True if id was visited (or lies beyond the ids the search began with).</summary>
    public bool IsVisited(int id) => (uint)id >= (uint)_visited.Length || _visited[id] == _generation;

    /// <summary>Marks id visited; false if it already was (or lies beyond the ids the search began with).</summary>
    public bool Visit(int id)
    {
        if ((uint)id >= (uint)_visited.Length || _visited[id] == _generation)
        {
            return false;
        }

        _visited[id] = _generation;
        return true;
    }
}

/// <summary>
/// A binary heap of (distance, id), ordered by distance then id (so equal distances resolve the same
/// way whatever order entries arrive in): the smallest on top, or the largest with <c>max</c>.
/// </summary>
internal sealed class DistanceHeap(bool max)
{
    private float[] _keys = new float[64];
    private int[] _ids = new int[64];
    private readonly float _sign = max ? -1 : 1;
    private readonly int _idSign = max ? -1 : 1;

    public int Count { get; private set; }

    /// <summary>Distance on top.</summary>
    public float TopDistance => _keys[0] * _sign;

    public int TopId => _ids[0];

    public void Clear() => Count = 0;

    /// <summary>True if (distance, id) sorts before the top of a max-heap: it belongs among the k kept.</summary>
    public bool Beats(float distance, int id) => distance < TopDistance || (distance == TopDistance && id < TopId);

    /// <summary>Keeps the <paramref name="k"/> smallest (distance, id) pairs offered (a max-heap).</summary>
    public void Offer(float distance, int id, int k)
    {
        if (Count < k)
        {
            Push(distance, id);
        }
        else if (Beats(distance, id))
        {
            Pop();
            Push(distance, id);
        }
    }

    private bool Before(float keyA, int idA, float keyB, int idB) => keyA < keyB || (keyA == keyB && idA * _idSign < idB * _idSign);

    public void Push(float distance, int id)
    {
        if (Count == _keys.Length)
        {
            Array.Resize(ref _keys, Count * 2);
            Array.Resize(ref _ids, Count * 2);
        }

        float key = distance * _sign;
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Before(key, id, _keys[parent], _ids[parent]))
            {
                break;
            }

            _keys[i] = _keys[parent];
            _ids[i] = _ids[parent];
            i = parent;
        }

        _keys[i] = key;
        _ids[i] = id;
    }

    public void Pop()
    {
        int last = --Count;
        if (last == 0)
        {
            return;
        }

        float key = _keys[last];
        int id = _ids[last];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= last)
            {
                break;
            }

            if (child + 1 < last && Before(_keys[child + 1], _ids[child + 1], _keys[child], _ids[child]))
            {
                child++;
            }

            if (!Before(_keys[child], _ids[child], key, id))
            {
                break;
            }

            _keys[i] = _keys[child];
            _ids[i] = _ids[child];
            i = child;
        }

        _keys[i] = key;
        _ids[i] = id;
    }

    /// <summary>Empties the heap into the spans, nearest first (for a max-heap: pops give the farthest first).</summary>
    public int DrainAscending(Span<float> distances, Span<int> ids)
    {
        int n;
        if (max)
        {
            while (Count > distances.Length)
            {
                Pop(); // the farthest go first
            }

            n = Count;
            for (int i = n - 1; i >= 0; i--)
            {
                distances[i] = TopDistance;
                ids[i] = TopId;
                Pop();
            }
        }
        else
        {
            n = Math.Min(Count, distances.Length);
            for (int i = 0; i < n; i++)
            {
                distances[i] = TopDistance;
                ids[i] = TopId;
                Pop();
            }

            Clear();
        }

        return n;
    }
}
