using System.Globalization;
using Store.Vectors;

namespace Store.Bench.Suites.Tenants;

/// <summary>Store's <see cref="TenantVectorIndex"/> (in memory): the shared clustering tree with tenant Bloom filters and shortlists.</summary>
internal sealed class CuratorTenantSubject : ITenantSubject
{
    private readonly TenantVectorIndex _index;
    private readonly string[] _names;
    private readonly VectorMatch[] _results = new VectorMatch[TenantsRun.K];
    private readonly Dictionary<int, TenantSearchOptions> _options = [];
    private readonly TenantIndexOptions _settings;

    public CuratorTenantSubject(int dimension, int tenants)
    {
        _settings = new TenantIndexOptions
        {
            Dimension = dimension,
            ElementType = VectorElementType.UInt8,
            FanOut = 16,
            LeafSize = 24,
            ShortlistBound = 128,
            TrainingSample = 20_000,
        };
        _index = new TenantVectorIndex(_settings);
        _names = [.. Enumerable.Range(0, tenants).Select(t => "t" + t.ToString(CultureInfo.InvariantCulture))];
        foreach (int c in KnobValues)
        {
            _options[c] = new TenantSearchOptions { Candidates = c };
        }
    }

    public string Name => "curator";

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"TenantVectorIndex, uint8 codes held once; tree trained on the warm-up vectors (balanced k-means, fan-out {_settings.FanOut}, leaves of {_settings.LeafSize} training vectors), shortlist bound {_settings.ShortlistBound}; tree after load: {_index.TreeStats}");

    public string Knob => "candidates";

    public IReadOnlyList<int> KnobValues { get; } = [64, 128, 256, 512, 1024];

    public long AccountedBytes => _index.MemoryBytes;

    public void Insert(int id, int owner, int[] grantees, ReadOnlySpan<float> vector, ReadOnlySpan<byte> code)
    {
        _index.Add(id, _names[owner], vector);
        foreach (int g in grantees)
        {
            _index.Grant(id, _names[g]);
        }
    }

    public void AfterWarmUp() => _index.Rebuild();

    public int Search(int tenant, ReadOnlySpan<float> query, int knob, Span<long> ids)
    {
        int n = _index.Search(_names[tenant], query, _results.AsSpan(0, ids.Length), _options[knob]);
        for (int i = 0; i < n; i++)
        {
            ids[i] = _results[i].Id;
        }

        return n;
    }

    public void Dispose() => _index.Dispose();
}
