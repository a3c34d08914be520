namespace Store.Bench.Suites.Tenants;

/// <summary>One way to serve tenant-scoped k-NN, driven identically by <see cref="TenantsRun"/>.</summary>
internal interface ITenantSubject : IDisposable
{
    string Name { get; }

    /// <summary>One line: what the structure is and how it is configured.</summary>
    string Description { get; }

    /// <summary>The search knob swept (candidates, ef...).</summary>
    string Knob { get; }

    /// <summary>Knob values swept, cheapest first.</summary>
    IReadOnlyList<int> KnobValues { get; }

    /// <summary>Adds base vector <paramref name="id"/> with its owner and grants (vector as floats and as uint8 code).</summary>
    void Insert(int id, int owner, int[] grantees, ReadOnlySpan<float> vector, ReadOnlySpan<byte> code);

    /// <summary>Called once after the warm-up part of the base is in, before the timed inserts (Curator trains its tree here).</summary>
    void AfterWarmUp();

    /// <summary>Writes up to ids.Length (= k) ids the tenant may access, nearest first; returns how many. Each subject encodes the float query itself.</summary>
    int Search(int tenant, ReadOnlySpan<float> query, int knob, Span<long> ids);

    /// <summary>Bytes the structure accounts for itself (codes, graphs, trees, access model).</summary>
    long AccountedBytes { get; }
}
