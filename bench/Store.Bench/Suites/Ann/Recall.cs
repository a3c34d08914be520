namespace Store.Bench.Suites.Ann;

/// <summary>Recall@k of result ids (queries x k, row-major; -1 where a query returned fewer than k).</summary>
internal readonly record struct Recall(double Strict, double WithTies)
{
    /// <summary>
    /// <see cref="Strict"/>: |result top-k ∩ ground-truth top-k| / k, averaged over the queries (the data
    /// set's definition, as FAISS and the peers count it). <see cref="WithTies"/> also counts a result
    /// whose distance equals the k-th true neighbour's (relative 1e-6), so an exact search that breaks
    /// ties between equally distant neighbours differently from the ground truth still scores 1.
    /// Duplicate ids in a result count once.
    /// </summary>
    public static Recall Compute(ReadOnlySpan<long> results, int k, AnnDataset data)
    {
        int queries = results.Length / k;
        if (queries > data.Truth.Queries || data.Truth.Depth < k)
        {
            throw new ArgumentException($"ground truth covers {data.Truth.Queries} queries x {data.Truth.Depth}, results are {queries} x {k}");
        }

        long strict = 0;
        long ties = 0;
        var seen = new HashSet<long>();
        for (int q = 0; q < queries; q++)
        {
            var truth = data.Truth.Row(q)[..k];
            double limit = data.Distance(q, truth[k - 1]) * (1 + 1e-6);
            seen.Clear();
            foreach (long id in results.Slice(q * k, k))
            {
                if (id < 0 || id >= data.Count || !seen.Add(id))
                {
                    continue;
                }

                if (truth.Contains((int)id))
                {
                    strict++;
                    ties++;
                }
                else if (data.Distance(q, id) <= limit)
                {
                    ties++;
                }
            }
        }

        double total = (double)queries * k;
        return new Recall(strict / total, ties / total);
    }
}
