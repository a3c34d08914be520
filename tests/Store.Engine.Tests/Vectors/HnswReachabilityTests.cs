using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// The head graph's reachability repair: nodes cut off the way pruning cuts them off (every link into a
/// node dropped, or every link out of a node a search may land on) are found, reconnected, and then
/// returned by a search wide enough to see the whole graph.
/// </summary>
public sealed class HnswReachabilityTests
{
    private const int Dimension = 16;

    [Fact]
    public void NodesWithEveryIncomingLinkDroppedAreReconnectedAndFoundAgain()
    {
        (HnswGraph graph, CodeStore codes) = Build(TestMode.Seed(6101));
        int[] victims = [.. Enumerable.Range(0, graph.NodeCount).Where(id => graph.LevelOf(id) == 0).Where((_, i) => i % 97 == 5).Take(8)];
        graph.DropBottomLinksForTest((_, to) => victims.Contains(to));

        Assert.Equal(victims.Order(), graph.FindCutOff().Unreachable.Order());
        Assert.All(victims, v => Assert.False(FoundBy(graph, codes, v), $"node {v} was cut off but a search still found it"));

        Assert.True(graph.RepairReachability() >= victims.Length);

        (List<int> unreachable, List<int> stranded) = graph.FindCutOff();
        Assert.Empty(unreachable);
        Assert.Empty(stranded);
        Assert.All(victims, v => Assert.True(FoundBy(graph, codes, v), $"node {v} is still not found after the repair"));
    }

    [Fact]
    public void LandingNodesWithEveryOutgoingLinkDroppedReachTheEntryAgain()
    {
        (HnswGraph graph, CodeStore codes) = Build(TestMode.Seed(6102));
        int top = Enumerable.Range(0, graph.NodeCount).Max(graph.LevelOf);
        int[] victims = [.. Enumerable.Range(0, graph.NodeCount).Where(id => graph.LevelOf(id) is > 0 and var l && l < top).Take(6)];
        Assert.NotEmpty(victims);
        graph.DropBottomLinksForTest((from, _) => victims.Contains(from));
        Assert.Equal(victims.Order(), graph.FindCutOff().Stranded.Order());

        Assert.True(graph.RepairReachability() >= victims.Length);

        (List<int> unreachable, List<int> stranded) = graph.FindCutOff();
        Assert.Empty(unreachable);
        Assert.Empty(stranded);
        Assert.All(Enumerable.Range(0, graph.NodeCount).Where((_, i) => i % 50 == 0), v => Assert.True(FoundBy(graph, codes, v)));
    }

    [Fact]
    public void ARepairedGraphNeedsNoFurtherRepair()
    {
        (HnswGraph graph, _) = Build(TestMode.Seed(6103));
        graph.DropBottomLinksForTest((from, to) => (from + to) % 23 == 0);
        graph.RepairReachability();

        (List<int> unreachable, List<int> stranded) = graph.FindCutOff();
        Assert.Empty(unreachable);
        Assert.Empty(stranded);
        Assert.Equal(0, graph.RepairReachability());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PruningNeverDropsTheLastLinkIntoANode(bool parallel)
    {
        // M = 3 prunes hard: most full lists drop several links on every insert that reaches them. In
        // parallel (M = 6: a wider upper layer to land on), inserts also race to link from a node that
        // is still getting its own links.
        for (int round = 0; round < (parallel ? 3 : 1); round++)
        {
            (HnswGraph graph, _) = parallel
                ? Build(TestMode.Seed(6104) + round, count: 6000, m: 6, parallel: true)
                : Build(TestMode.Seed(6104), count: 4000, m: 3, parallel: false);
            Assert.Empty(graph.FindUnlinked());
            Assert.Empty(graph.FindInDegreeMismatches());
        }
    }

    [Fact]
    public void AGraphReadFromItsFileCountsTheSameInDegrees()
    {
        (HnswGraph graph, CodeStore codes) = Build(TestMode.Seed(6105), count: 3000, m: 4);
        string path = Path.Combine(Path.GetTempPath(), $"hnsw-indegree-{Guid.NewGuid():N}.graph");
        try
        {
            graph.Save(path);
            VectorSpace space = VectorSpace.Create(Dimension, VectorMetric.L2, VectorElementType.Float32);
            HnswGraph loaded = HnswGraph.Load(path, space, codes, graph.Options);
            Assert.Empty(loaded.FindInDegreeMismatches());

            // Inserts after the load keep the guarantee (pruning reads the counted in-degrees): near copies
            // of stored vectors, first element zeroed.
            var rng = new Random(TestMode.Seed(6106));
            var code = new byte[space.CodeSize];
            for (int i = 0; i < 1000; i++)
            {
                codes[rng.Next(3000)].CopyTo(code);
                code.AsSpan(0, sizeof(float)).Clear();
                codes.Append(code);
                loaded.Insert(codes.Count - 1);
            }

            Assert.Empty(loaded.FindUnlinked());
            Assert.Empty(loaded.FindInDegreeMismatches());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (HnswGraph Graph, CodeStore Codes) Build(int seed, int count = 2000, int m = 6, bool parallel = false)
    {
        var data = new ClusteredData(count, 1, Dimension, 20, seed);
        VectorSpace space = VectorSpace.Create(Dimension, VectorMetric.L2, VectorElementType.Float32);
        var codes = new CodeStore(space.CodeSize);
        var code = new byte[space.CodeSize];
        for (int i = 0; i < data.Count; i++)
        {
            space.Encode(data.Vector(i), code);
            codes.Append(code);
        }

        var graph = new HnswGraph(space, codes, new HnswOptions { M = m, EfConstruction = 64 });
        graph.Insert(0);
        if (parallel)
        {
            Parallel.For(1, data.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, graph.Insert);
        }
        else
        {
            for (int i = 1; i < data.Count; i++)
            {
                graph.Insert(i);
            }
        }

        return (graph, codes);
    }

    /// <summary>True if a search as wide as the graph returns node <paramref name="id"/> for its own code.</summary>
    private static bool FoundBy(HnswGraph graph, CodeStore codes, int id)
    {
        var distances = new float[graph.NodeCount];
        var ids = new int[graph.NodeCount];
        int found = graph.Search(codes[id], graph.NodeCount, distances, ids);
        return ids.AsSpan(0, found).Contains(id);
    }
}
