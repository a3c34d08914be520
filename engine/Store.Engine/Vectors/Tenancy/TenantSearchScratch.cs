namespace Store.Vectors;

/// <summary>Per-thread buffers of tenant searches (query code, node frontier, top k), reused so a search allocates nothing.</summary>
internal sealed class TenantSearchScratch
{
    [ThreadStatic]
    private static TenantSearchScratch? _current;

    private float[] _distances = new float[16];
    private int[] _slots = new int[16];

    public byte[] Code { get; private set; } = [];

    public PriorityQueue<TenantTreeNode, float> Frontier { get; } = new();

    public DistanceHeap Top { get; } = new(max: true);

    /// <summary>This thread's scratch, with buffers large enough for the space.</summary>
    public static TenantSearchScratch For(VectorSpace space)
    {
        TenantSearchScratch scratch = _current ??= new TenantSearchScratch();
        if (scratch.Code.Length < space.CodeSize)
        {
            scratch.Code = new byte[space.CodeSize];
        }

        return scratch;
    }

    public (float[] Distances, int[] Slots) Buffers(int length)
    {
        if (_distances.Length < length)
        {
            _distances = new float[length];
            _slots = new int[length];
        }

        return (_distances, _slots);
    }
}
