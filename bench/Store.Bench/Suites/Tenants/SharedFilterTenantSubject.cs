using System.Globalization;
using Store.Vectors;

namespace Store.Bench.Suites.Tenants;

/// <summary>
/// One shared index over every vector (Store's HNSW, M 16, efConstruction 200, uint8 codes) with
/// post-filtering: ask for k' = k nearest, keep those the tenant may access (same access model as the
/// tenant index), and while fewer than k are kept ask again for 4k' (up to <see cref="MaxFetch"/>).
/// </summary>
internal sealed class SharedFilterTenantSubject : ITenantSubject
{
    public const int MaxFetch = 4096;

    private readonly VectorSpace _space;
    private readonly byte[] _query;
    private readonly CodeStore _codes;
    private readonly HnswGraph _graph;
    private readonly AccessModel _access = new();
    private readonly float[] _distances = new float[MaxFetch];
    private readonly int[] _found = new int[MaxFetch];
    private long _searches, _refetches;

    public SharedFilterTenantSubject(int dimension)
    {
        _space = VectorSpace.Create(dimension, VectorMetric.L2, VectorElementType.UInt8);
        _query = new byte[_space.CodeSize];
        _codes = new CodeStore(_space.CodeSize);
        _graph = new HnswGraph(_space, _codes, new HnswOptions());
    }

    public string Name => "shared+filter";

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"one HNSW over all vectors (M 16, efConstruction 200, uint8), post-filtered by the access model; over-fetch x4 until k accessible or {MaxFetch} fetched ({(_searches == 0 ? 0 : (double)_refetches / _searches):0.00} re-fetches per search so far)");

    public string Knob => "ef";

    public IReadOnlyList<int> KnobValues { get; } = [64, 256];

    public long AccountedBytes => _codes.MemoryBytes + _graph.MemoryBytes + _access.MemoryBytes(_codes.Count);

    public void Insert(int id, int owner, int[] grantees, ReadOnlySpan<float> vector, ReadOnlySpan<byte> code)
    {
        int slot = _codes.Append(code);
        if (slot != id)
        {
            throw new InvalidOperationException($"ids must arrive in order: got {id} for slot {slot}");
        }

        _access.Place(slot, owner);
        foreach (int g in grantees)
        {
            _access.Grant(slot, g);
        }

        _graph.Insert(slot);
    }

    public void AfterWarmUp()
    {
    }

    public int Search(int tenant, ReadOnlySpan<float> query, int knob, Span<long> ids)
    {
        _space.Encode(query, _query);
        ReadOnlySpan<byte> code = _query;
        int k = ids.Length;
        _searches++;
        for (int fetch = k; ; fetch = Math.Min(MaxFetch, fetch * 4))
        {
            int found = _graph.Search(code, Math.Max(knob, fetch), _distances.AsSpan(0, fetch), _found.AsSpan(0, fetch));
            int kept = 0;
            for (int i = 0; i < found && kept < k; i++)
            {
                if (_access.CanAccess(_found[i], tenant))
                {
                    ids[kept++] = _found[i];
                }
            }

            if (kept == k || fetch == MaxFetch || found < fetch)
            {
                return kept;
            }

            _refetches++;
        }
    }

    public void Dispose()
    {
    }
}
