using Store.Vectors;

namespace Store.Tests.Vectors.Tenancy;

/// <summary>
/// The trivially correct access model the tenant index is driven against: per vector its owner, grants and
/// values; the exact k nearest a tenant may access, by brute force.
/// </summary>
internal sealed class TenantModel
{
    public Dictionary<long, (string Owner, HashSet<string> Grants, float[] Vector)> Vectors { get; } = [];

    public bool CanAccess(long id, string tenant) =>
        Vectors.TryGetValue(id, out var v) && (v.Owner == tenant || v.Grants.Contains(tenant));

    public int AccessibleCount(string tenant) => Vectors.Values.Count(v => v.Owner == tenant || v.Grants.Contains(tenant));

    /// <summary>Squared L2 distances of the k nearest accessible vectors, ascending.</summary>
    public float[] NearestDistances(string tenant, ReadOnlySpan<float> query, int k)
    {
        var distances = new List<float>();
        foreach (var v in Vectors.Values)
        {
            if (v.Owner == tenant || v.Grants.Contains(tenant))
            {
                distances.Add(VectorKernels.L2Squared(query, v.Vector));
            }
        }

        distances.Sort();
        return [.. distances.Take(k)];
    }

    /// <summary>Ids of the k nearest accessible vectors (ties by id).</summary>
    public long[] Nearest(string tenant, ReadOnlySpan<float> query, int k)
    {
        var scored = new List<(float Distance, long Id)>();
        foreach ((long id, var v) in Vectors)
        {
            if (v.Owner == tenant || v.Grants.Contains(tenant))
            {
                scored.Add((VectorKernels.L2Squared(query, v.Vector), id));
            }
        }

        scored.Sort();
        return [.. scored.Take(k).Select(s => s.Id)];
    }
}
