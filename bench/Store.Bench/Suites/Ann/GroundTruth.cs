namespace Store.Bench.Suites.Ann;

/// <summary>The exact nearest neighbours of each query (ids, nearest first), <see cref="Depth"/> per query.</summary>
internal sealed class GroundTruth(int[] ids, int queries, int depth)
{
    public int Queries { get; } = queries;

    public int Depth { get; } = depth;

    public ReadOnlySpan<int> Row(int query) => ids.AsSpan(query * Depth, Depth);

    public static GroundTruth Read(string ivecsPath, int queries)
    {
        var (values, rows, depth) = VecsFile.ReadInts(ivecsPath, queries);
        return rows < queries
            ? throw new InvalidDataException($"{ivecsPath} has ground truth for {rows} queries, {queries} needed")
            : new GroundTruth(values, rows, depth);
    }
}
