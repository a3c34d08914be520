namespace Store.Bench.Suites.Ann;

/// <summary>
/// Exact k nearest neighbours (squared L2) of many queries over a float32 base, for ground truth: the
/// queries in groups of 16 over all cores (Parallel.For), each group scanning the base once so every
/// base row is read from memory once per group and its 16 distances computed from L1
/// (<see cref="L2Kernels.Float"/>, Vector256). Ties go to the lower id.
/// </summary>
internal static class BruteForceKnn
{
    private const int Group = 16;

    /// <summary>Row-major ids, <paramref name="depth"/> per query, nearest first.</summary>
    public static int[] Compute(float[] baseVectors, float[] queries, int dimension, int depth, Action<string>? progress = null)
    {
        int count = baseVectors.Length / dimension;
        int queryCount = queries.Length / dimension;
        var result = new int[queryCount * depth];
        int groups = (queryCount + Group - 1) / Group;
        int done = 0;
        Parallel.For(0, groups, g =>
        {
            int first = g * Group;
            int members = Math.Min(Group, queryCount - first);
            var tops = new TopK[members];
            for (int m = 0; m < members; m++)
            {
                tops[m] = new TopK(depth);
            }

            var all = baseVectors.AsSpan();
            for (int id = 0; id < count; id++)
            {
                var row = all.Slice(id * dimension, dimension);
                for (int m = 0; m < members; m++)
                {
                    float d = L2Kernels.Float(queries.AsSpan((first + m) * dimension, dimension), row);
                    if (d < tops[m].Bound)
                    {
                        tops[m].Offer(d, id);
                    }
                }
            }

            for (int m = 0; m < members; m++)
            {
                var ids = tops[m].Ids;
                for (int i = 0; i < depth; i++)
                {
                    result[((first + m) * depth) + i] = i < ids.Length ? (int)ids[i] : -1;
                }
            }

            int finished = Interlocked.Increment(ref done);
            if (progress is not null && finished % Math.Max(1, groups / 10) == 0)
            {
                progress($"ground truth: {finished * 100 / groups}% of the query groups");
            }
        });
        return result;
    }
}
