using Store.Kv;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// Vector collections through the public API: recall floors of each index kind on generated clustered
/// data (against brute force), reopen without rebuild, removals and replacements, payloads and names.
/// </summary>
public sealed class VectorCollectionTests
{
    private const int K = 10;

    public static TheoryData<VectorIndexKind, VectorElementType, double> RecallCases => new()
    {
        { VectorIndexKind.Flat, VectorElementType.Float32, 1.0 },
        { VectorIndexKind.Hnsw, VectorElementType.Float32, 0.95 },
        { VectorIndexKind.Hnsw, VectorElementType.Float16, 0.93 },
        { VectorIndexKind.Hnsw, VectorElementType.Int8PerVectorScale, 0.85 },
        { VectorIndexKind.Spann, VectorElementType.Float32, 0.93 },
    };

    [Theory]
    [MemberData(nameof(RecallCases))]
    public void RecallOnClusteredDataMeetsTheFloorAndSurvivesReopen(VectorIndexKind kind, VectorElementType type, double floor)
    {
        var data = new ClusteredData(4000, 100, 32, 40, TestMode.Seed(4101));
        int[][] truth = data.Truth(K);
        using var temp = new TempDirectory($"vectors-{kind}-{type}");
        string path = temp.Combine("db");
        double before;
        List<long[]> first;
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("c", new VectorCollectionOptions { Dimension = 32, ElementType = type, Index = kind });
            c.AddRange([.. Enumerable.Range(0, data.Count).Select(i => (long)i)], data.Base);
            c.BuildIndex();
            first = SearchAll(c, data, new VectorSearchOptions { Ef = 128, Lists = 32 });
            before = ClusteredData.Recall(truth, first, K);
            Assert.True(before >= floor, $"{kind}/{type}: recall@{K} {before:0.000} is below the floor {floor}");
        }

        using (var db = Database.Open(path))
        {
            VectorCollection c = db.GetVectorCollection("c");
            Assert.Equal(data.Count, c.Count);
            List<long[]> again = SearchAll(c, data, new VectorSearchOptions { Ef = 128, Lists = 32 });
            double after = ClusteredData.Recall(truth, again, K);
            Assert.True(after >= floor, $"{kind}/{type} after reopen: recall@{K} {after:0.000} is below the floor {floor}");
            Assert.Equal(first.Select(r => string.Join(',', r)), again.Select(r => string.Join(',', r)));
        }
    }

    [Fact]
    public void SpannRawBytesReachHighRecallAndReadPostingsDirectly()
    {
        var data = new ClusteredData(6000, 100, 64, 60, TestMode.Seed(4102), wholeNumbers: true);
        int[][] truth = data.Truth(K);
        using var temp = new TempDirectory("vectors-spann-bytes");
        using var db = Database.Open(temp.Combine("db"));
        VectorCollection c = db.CreateVectorCollection("b", new VectorCollectionOptions
        {
            Dimension = 64,
            ElementType = VectorElementType.UInt8,
            Index = VectorIndexKind.Spann,
        });
        c.AddRange([.. Enumerable.Range(0, data.Count).Select(i => (long)i)], data.Base);
        c.BuildIndex();
        Assert.True(c.SpannVectorCount == data.Count);
        double few = ClusteredData.Recall(truth, SearchAll(c, data, new VectorSearchOptions { Lists = 4 }), K);
        double many = ClusteredData.Recall(truth, SearchAll(c, data, new VectorSearchOptions { Lists = 64, Ef = 128 }), K);
        Assert.True(many >= 0.97, $"recall@{K} with 64 lists is {many:0.000}");
        Assert.True(many >= few, $"more lists gave lower recall ({few:0.000} -> {many:0.000})");
    }

    [Theory]
    [InlineData(VectorIndexKind.Flat)]
    [InlineData(VectorIndexKind.Hnsw)]
    [InlineData(VectorIndexKind.Spann)]
    public void RemovedAndReplacedVectorsAreNeverReturnedStaleBeforeOrAfterReopen(VectorIndexKind kind)
    {
        var data = new ClusteredData(2000, 50, 16, 20, TestMode.Seed(4103));
        using var temp = new TempDirectory($"vectors-remove-{kind}");
        string path = temp.Combine("db");
        var removed = new HashSet<int>();
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("r", new VectorCollectionOptions { Dimension = 16, Index = kind });
            c.AddRange([.. Enumerable.Range(0, data.Count).Select(i => (long)i)], data.Base);
            c.BuildIndex();

            // After the build: every query's exact nearest vector goes, and some others move far away.
            foreach (int[] nearest in data.Truth(1))
            {
                if (removed.Add(nearest[0]))
                {
                    Assert.True(c.Remove(nearest[0]));
                }
            }

            Assert.False(c.Remove(1_000_000));
            for (int i = 0; i < 100; i += 7)
            {
                c.Add(i, Enumerable.Repeat(1000f, 16).ToArray());
            }

            ExpectNoneOf(c, data, removed, far: 1000f);
        }

        using (var db = Database.Open(path))
        {
            VectorCollection c = db.GetVectorCollection("r");
            Assert.Equal(data.Count - removed.Count(i => !(i < 100 && i % 7 == 0)), c.Count);
            ExpectNoneOf(c, data, removed, far: 1000f);
        }
    }

    [Fact]
    public void PayloadsNamesAndVectorsReadBack()
    {
        using var temp = new TempDirectory("vectors-payload");
        string path = temp.Combine("db");
        long named;
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("p", new VectorCollectionOptions { Dimension = 3, Metric = VectorMetric.Cosine, Index = VectorIndexKind.Flat });
            c.Add(7, [1, 2, 3], Bytes.Of("seven"));
            named = c.Add("doc:alpha", [3, 2, 1], Bytes.Of("alpha"));
            Assert.Equal(named, c.Add("doc:alpha", [3, 2, 2], Bytes.Of("alpha v2"))); // same name, same id: replaced
        }

        using (var db = Database.Open(path))
        {
            VectorCollection c = db.GetVectorCollection("p");
            Assert.Equal(2, c.Count);
            Assert.True(c.TryGetPayload(7, out byte[] payload));
            Assert.Equal("seven", System.Text.Encoding.ASCII.GetString(payload));
            Assert.True(c.TryGetId("doc:alpha", out long id));
            Assert.Equal(named, id);
            Assert.True(c.TryGetName(id, out string? name));
            Assert.Equal("doc:alpha", name);
            Assert.True(c.TryGetPayload(id, out payload));
            Assert.Equal("alpha v2", System.Text.Encoding.ASCII.GetString(payload));
            var v = new float[3];
            Assert.True(c.TryGetVector(7, v));
            float norm = MathF.Sqrt(14);
            Assert.Equal([1 / norm, 2 / norm, 3 / norm], v); // cosine stores the unit vector
            VectorMatch[] top = c.Search([3, 2, 2], 2);
            Assert.Equal(named, top[0].Id);
            Assert.True(top[0].Distance < 1e-6, $"distance to itself is {top[0].Distance}");
            Assert.False(c.TryGetId("doc:missing", out _));
            Assert.True(c.Remove("doc:alpha"));
            Assert.Single(c.Search([3, 2, 2], 2));
        }
    }

    [Fact]
    public void CollectionsAreListedAndItsKeyspacesHidden()
    {
        using var temp = new TempDirectory("vectors-list");
        using var db = Database.Open(temp.Combine("db"));
        db.GetOrCreateKeyspace("users");
        db.CreateVectorCollection("b-one", new VectorCollectionOptions { Dimension = 2 });
        db.CreateVectorCollection("a.two", new VectorCollectionOptions { Dimension = 2 });
        Assert.Equal(["a.two", "b-one"], db.VectorCollections);
        Assert.Equal(["users"], db.Keyspaces);
    }

    private static void ExpectNoneOf(VectorCollection c, ClusteredData data, HashSet<int> removed, float far)
    {
        for (int q = 0; q < data.QueryCount; q++)
        {
            foreach (VectorMatch m in c.Search(data.Query(q), K, new VectorSearchOptions { Lists = 32, Ef = 64 }))
            {
                Assert.False(removed.Contains((int)m.Id), $"query {q} returned removed vector {m.Id}");
                Assert.True(m.Distance < far * far, $"query {q} returned vector {m.Id} at {m.Distance}: the replaced (far) version is served, or its stale near one");
                var stored = new float[data.Dimension];
                Assert.True(c.TryGetVector(m.Id, stored));
                Assert.Equal(ExactDistance(data.Query(q), stored), m.Distance, 0.01f * Math.Max(1, m.Distance));
            }
        }
    }

    private static float ExactDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            d += (a[i] - b[i]) * (a[i] - b[i]);
        }

        return d;
    }

    private static List<long[]> SearchAll(VectorCollection c, ClusteredData data, VectorSearchOptions options) =>
        [.. Enumerable.Range(0, data.QueryCount).Select(q => c.Search(data.Query(q), K, options).Select(m => m.Id).ToArray())];
}
