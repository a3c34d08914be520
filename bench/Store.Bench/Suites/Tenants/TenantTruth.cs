using Store.Vectors;

namespace Store.Bench.Suites.Tenants;

/// <summary>
/// Exact per-tenant ground truth: for each query, the k nearest base vectors its tenant may access
/// (brute force over that tenant's accessible vectors with the exact uint8 L2 kernel; ties by id), and recall.
/// </summary>
internal sealed class TenantTruth
{
    private readonly long[][] _ids;
    private readonly uint[] _kthDistance;
    private readonly byte[] _codes;
    private readonly byte[] _queries;
    private readonly int _dimension;
    private readonly TenantWorkload _workload;

    public TenantTruth(byte[] codes, byte[] queries, int dimension, TenantWorkload workload, int k)
    {
        _codes = codes;
        _queries = queries;
        _dimension = dimension;
        _workload = workload;
        int count = workload.QueryTenants.Length;
        _ids = new long[count][];
        _kthDistance = new uint[count];
        Parallel.For(0, count, q =>
        {
            ReadOnlySpan<byte> query = Query(q);
            var scored = new List<(uint Distance, int Id)>();
            foreach (int v in workload.Accessible[workload.QueryTenants[q]])
            {
                scored.Add((VectorKernels.L2Squared(query, Code(v)), v));
            }

            scored.Sort();
            _ids[q] = [.. scored.Take(k).Select(s => (long)s.Id)];
            _kthDistance[q] = _ids[q].Length == 0 ? 0 : scored[_ids[q].Length - 1].Distance;
        });
    }

    public int Queries => _ids.Length;

    public ReadOnlySpan<byte> Query(int q) => _queries.AsSpan(q * _dimension, _dimension);

    public ReadOnlySpan<byte> Code(long id) => _codes.AsSpan((int)id * _dimension, _dimension);

    /// <summary>
    /// Recall of one query's results: strict (|results ∩ truth| / |truth|) and with ties (a result as near as the
    /// k-th true neighbour counts too). A query whose tenant sees nothing scores 1 if it returned nothing.
    /// A result the query's tenant may not access scores nothing and is counted in <paramref name="violations"/>.
    /// </summary>
    public (double Strict, double WithTies) Score(int q, ReadOnlySpan<long> results, ref long violations)
    {
        long[] truth = _ids[q];
        int[] accessible = _workload.Accessible[_workload.QueryTenants[q]];
        int strict = 0, ties = 0;
        for (int i = 0; i < results.Length; i++)
        {
            long id = results[i];
            if (id < 0 || id > int.MaxValue || Array.BinarySearch(accessible, (int)id) < 0)
            {
                violations++;
                continue;
            }

            if (results[..i].Contains(id))
            {
                continue;
            }

            if (Array.IndexOf(truth, id) >= 0)
            {
                strict++;
                ties++;
            }
            else if (VectorKernels.L2Squared(Query(q), Code(id)) <= _kthDistance[q])
            {
                ties++;
            }
        }

        if (truth.Length == 0)
        {
            return (1, 1);
        }

        return ((double)strict / truth.Length, (double)Math.Min(ties, truth.Length) / truth.Length);
    }
}
