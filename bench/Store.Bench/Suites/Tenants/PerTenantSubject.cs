using System.Globalization;
using Store.Vectors;

namespace Store.Bench.Suites.Tenants;

/// <summary>
/// One index per tenant, each holding its own copy of every vector the tenant may access: Store's HNSW
/// (M 16, efConstruction 200) for tenants that end up with at least <see cref="HnswThreshold"/> vectors, an
/// exact scan (flat, uint8 kernel) for the smaller ones, where a scan beats a graph. A grant copies the
/// vector into the grantee's index.
/// </summary>
internal sealed class PerTenantSubject : ITenantSubject
{
    public const int HnswThreshold = 1000;

    private readonly VectorSpace _space;
    private readonly byte[] _query;
    private readonly Graph?[] _graphs;
    private readonly Flat?[] _flats;
    private readonly float[] _distances = new float[TenantsRun.K];
    private readonly int[] _local = new int[TenantsRun.K];
    private readonly DistanceHeap _top = new(max: true);

    public PerTenantSubject(int dimension, TenantWorkload workload)
    {
        _space = VectorSpace.Create(dimension, VectorMetric.L2, VectorElementType.UInt8);
        _query = new byte[_space.CodeSize];
        _graphs = new Graph?[workload.Tenants];
        _flats = new Flat?[workload.Tenants];
        for (int t = 0; t < workload.Tenants; t++)
        {
            if (workload.Accessible[t].Length >= HnswThreshold)
            {
                _graphs[t] = new Graph(_space);
            }
            else
            {
                _flats[t] = new Flat(dimension);
            }
        }
    }

    public string Name => "per-tenant";

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"one index per tenant: HNSW (M 16, efConstruction 200, uint8) for the {_graphs.Count(g => g is not null)} tenants with >= {HnswThreshold} vectors, exact flat scan for the other {_flats.Count(f => f is not null)}; every accessible vector copied into each tenant's index");

    public string Knob => "ef";

    public IReadOnlyList<int> KnobValues { get; } = [16, 32, 64, 128];

    public long AccountedBytes => _graphs.Sum(g => g?.Bytes ?? 0) + _flats.Sum(f => f?.Bytes ?? 0);

    public void Insert(int id, int owner, int[] grantees, ReadOnlySpan<float> vector, ReadOnlySpan<byte> code)
    {
        Add(owner, id, code);
        foreach (int g in grantees)
        {
            Add(g, id, code);
        }
    }

    public void AfterWarmUp()
    {
    }

    public int Search(int tenant, ReadOnlySpan<float> query, int knob, Span<long> ids)
    {
        _space.Encode(query, _query);
        ReadOnlySpan<byte> code = _query;
        int k = ids.Length;
        if (_graphs[tenant] is { } graph)
        {
            int n = graph.Index.Search(code, knob, _distances.AsSpan(0, k), _local.AsSpan(0, k));
            for (int i = 0; i < n; i++)
            {
                ids[i] = graph.Ids[_local[i]];
            }

            return n;
        }

        Flat flat = _flats[tenant]!;
        _top.Clear();
        int dimension = _space.Dimension;
        for (int i = 0; i < flat.Count; i++)
        {
            _top.Offer(VectorKernels.L2Squared(code, flat.Codes.AsSpan(i * dimension, dimension)), i, k);
        }

        int found = _top.DrainAscending(_distances.AsSpan(0, Math.Min(k, _top.Count)), _local.AsSpan(0, Math.Min(k, _top.Count)));
        for (int i = 0; i < found; i++)
        {
            ids[i] = flat.Ids[_local[i]];
        }

        return found;
    }

    public void Dispose()
    {
    }

    private void Add(int tenant, int id, ReadOnlySpan<byte> code)
    {
        if (_graphs[tenant] is { } graph)
        {
            int local = graph.Codes.Append(code);
            graph.Ids.Add(id);
            graph.Index.Insert(local);
        }
        else
        {
            _flats[tenant]!.Add(id, code);
        }
    }

    private sealed class Graph
    {
        public Graph(VectorSpace space)
        {
            Codes = new CodeStore(space.CodeSize);
            Index = new HnswGraph(space, Codes, new HnswOptions());
        }

        public CodeStore Codes { get; }

        public HnswGraph Index { get; }

        public List<long> Ids { get; } = [];

        public long Bytes => Codes.MemoryBytes + Index.MemoryBytes + (Ids.Capacity * 8L);
    }

    private sealed class Flat(int dimension)
    {
        public byte[] Codes { get; private set; } = new byte[dimension * 4];

        public long[] Ids { get; private set; } = new long[4];

        public int Count { get; private set; }

        public long Bytes => Codes.Length + (Ids.Length * 8L) + 64;

        public void Add(long id, ReadOnlySpan<byte> code)
        {
            if (Count == Ids.Length)
            {
                Ids = [.. Ids, .. new long[Count]];
                byte[] grown = new byte[Codes.Length * 2];
                Codes.CopyTo(grown, 0);
                Codes = grown;
            }

            code.CopyTo(Codes.AsSpan(Count * dimension, dimension));
            Ids[Count++] = id;
        }
    }
}
