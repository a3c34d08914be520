using Store.Kv;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors.Tenancy;

/// <summary>
/// The tenant index's search quality against exact per-tenant search, shortlist splits and merges,
/// persistence across a reopen, and typed errors for bad input.
/// </summary>
public sealed class TenantVectorIndexTests
{
    private const int K = 10;

    [Fact]
    public void RecallAgainstExactPerTenantSearchMeetsTheFloor()
    {
        int seed = TestMode.Seed(7401);
        var data = new ClusteredData(6000, 200, 32, 60, seed);
        var rng = new Random(seed);
        using var index = new TenantVectorIndex(new TenantIndexOptions { Dimension = 32, LeafSize = 32, ShortlistBound = 32, Seed = 5 });
        var model = new TenantModel();
        string[] tenants = [.. Enumerable.Range(0, 40).Select(t => $"t{t}")];
        for (int i = 0; i < data.Count; i++)
        {
            // Skewed owners (tenant t owns about 1/(t+1) of a harmonic share), each vector shared with 0-3 others.
            string owner = tenants[Math.Min(tenants.Length - 1, (int)Math.Floor(Math.Exp(rng.NextDouble() * Math.Log(tenants.Length + 1)) - 1))];
            float[] v = data.Vector(i).ToArray();
            model.Vectors[i] = (owner, [], v);
            if (i == 1000)
            {
                index.Rebuild(); // trained on the first 1,000; the rest route through that tree
            }

            index.Add(i, owner, v);
            for (int s = rng.Next(4); s > 0; s--)
            {
                string grantee = tenants[rng.Next(tenants.Length)];
                if (grantee != owner && index.Grant(i, grantee))
                {
                    model.Vectors[i].Grants.Add(grantee);
                }
            }
        }

        index.CheckInvariants();
        Assert.True(index.TreeStats.Depth >= 2, $"a trained tree over 6,000 vectors with leaves of 32 is deeper than {index.TreeStats.Depth}");
        long hits = 0, total = 0;
        for (int q = 0; q < data.QueryCount; q++)
        {
            string tenant = tenants[q % tenants.Length];
            long[] truth = model.Nearest(tenant, data.Query(q), K);
            VectorMatch[] found = index.Search(tenant, data.Query(q), K, new TenantSearchOptions { Candidates = 256 });
            Assert.Equal(truth.Length, found.Length);
            Assert.All(found, m => Assert.True(model.CanAccess(m.Id, tenant)));
            hits += found.Count(m => truth.Contains(m.Id));
            total += truth.Length;
        }

        double recall = (double)hits / total;
        Assert.True(recall >= 0.95, $"recall@10 {recall:0.000} is under 0.95 (seed {seed})");
    }

    [Fact]
    public void ShortlistsSplitWhenTheyGrowAndMergeBackWhenTheyShrink()
    {
        var data = new ClusteredData(2000, 1, 16, 20, TestMode.Seed(7402));
        using var index = new TenantVectorIndex(new TenantIndexOptions { Dimension = 16, LeafSize = 16, FanOut = 8, ShortlistBound = 20 });
        for (int i = 0; i < data.Count; i++)
        {
            index.Add(i, "owner", data.Vector(i));
        }

        index.Rebuild();
        Assert.Equal(1, index.TreeStats.Depth >= 2 ? 1 : 0);
        long splitsBefore = index.TreeStats.Splits;
        for (int i = 0; i < 400; i++)
        {
            Assert.True(index.Grant(i * 5, "guest")); // 400 ids: far past the bound, pushed down
        }

        TenantTreeStats grown = index.TreeStats;
        Assert.True(grown.Splits > splitsBefore, "400 grants with a bound of 20 split the guest's root shortlist");
        index.CheckInvariants();
        for (int i = 0; i < 395; i++)
        {
            Assert.True(index.Revoke(i * 5, "guest"));
        }

        TenantTreeStats shrunk = index.TreeStats;
        Assert.True(shrunk.Merges > grown.Merges, "revoking down to 5 ids merges the guest's shortlists back up");
        index.CheckInvariants();
        VectorMatch[] all = index.Search("guest", data.Vector(1975), K);
        Assert.Equal([1975L, 1980, 1985, 1990, 1995], all.Select(m => m.Id).Order().ToArray());
        Assert.Equal(1975, all[0].Id);
    }

    [Fact]
    public void OwnersGrantsAndRevokesSurviveAReopen()
    {
        using var temp = new TempDirectory("tenancy-reopen");
        var data = new ClusteredData(1500, 20, 8, 10, TestMode.Seed(7403), wholeNumbers: true);
        var options = new TenantIndexOptions { Dimension = 8, ElementType = VectorElementType.UInt8, LeafSize = 16, ShortlistBound = 16 };
        var model = new TenantModel();
        var rng = new Random(7403);
        var before = new List<long[]>();
        using (var db = Database.Open(temp.Combine("db")))
        using (var index = TenantVectorIndex.Open(db, "docs", options))
        {
            for (int i = 0; i < data.Count; i++)
            {
                string owner = $"t{rng.Next(12)}";
                index.Add(i, owner, data.Vector(i));
                model.Vectors[i] = (owner, [], data.Vector(i).ToArray());
                string grantee = $"t{rng.Next(12)}";
                if (index.Grant(i, grantee))
                {
                    model.Vectors[i].Grants.Add(grantee);
                }
            }

            for (int i = 0; i < data.Count; i += 7)
            {
                foreach (string g in model.Vectors[i].Grants.ToArray())
                {
                    Assert.True(index.Revoke(i, g));
                    model.Vectors[i].Grants.Remove(g);
                }
            }

            for (int i = 3; i < data.Count; i += 11)
            {
                Assert.True(index.Delete(i));
                model.Vectors.Remove(i);
            }

            for (int q = 0; q < data.QueryCount; q++)
            {
                before.Add([.. index.Search($"t{q % 12}", data.Query(q), K, new TenantSearchOptions { Candidates = int.MaxValue }).Select(m => m.Id)]);
            }
        }

        using (var db = Database.Open(temp.Combine("db")))
        using (var index = TenantVectorIndex.Open(db, "docs", options))
        {
            Assert.Equal(model.Vectors.Count, index.Count);
            Assert.Equal(12, index.TenantCount);
            index.CheckInvariants();
            for (int i = 0; i < data.Count; i++)
            {
                for (int t = 0; t < 12; t++)
                {
                    Assert.Equal(model.CanAccess(i, $"t{t}"), index.CanAccess(i, $"t{t}"));
                }
            }

            for (int q = 0; q < data.QueryCount; q++)
            {
                long[] after = [.. index.Search($"t{q % 12}", data.Query(q), K, new TenantSearchOptions { Candidates = int.MaxValue }).Select(m => m.Id)];
                Assert.Equal(before[q], after);
                Assert.Equal(model.Nearest($"t{q % 12}", data.Query(q), K).Length, after.Length);
            }

            Assert.Throws<ArgumentException>(() => TenantVectorIndex.Open(db, "docs", new TenantIndexOptions { Dimension = 9, ElementType = VectorElementType.UInt8 }));
        }
    }

    [Fact]
    public void BadInputGetsTypedErrorsThatSayWhatToDo()
    {
        using var index = new TenantVectorIndex(new TenantIndexOptions { Dimension = 4, ElementType = VectorElementType.UInt8 });
        index.Add(1, "alice", [1, 2, 3, 4]);
        Assert.Throws<VectorDimensionException>(() => index.Add(2, "alice", [1, 2, 3]));
        Assert.Throws<VectorDimensionException>(() => index.Search("alice", [1, 2, 3, 4, 5], K));
        Assert.Throws<InvalidVectorException>(() => index.Add(2, "alice", [1, 2, 3, 4.5f]));
        var duplicate = Assert.Throws<ArgumentException>(() => index.Add(1, "bob", [1, 2, 3, 4]));
        Assert.Contains("Delete it first", duplicate.Message, StringComparison.Ordinal);
        foreach (string bad in new[] { "", "has space", "semi;colon", new string('x', 129), "ünïcode" })
        {
            var e = Assert.Throws<ArgumentException>(() => index.Search(bad, [1, 2, 3, 4], K));
            Assert.Contains("Tenant id", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => index.Add(5, bad, [1, 2, 3, 4]));
            Assert.Throws<ArgumentException>(() => index.Grant(1, bad));
        }

        Assert.Throws<ArgumentNullException>(() => index.Grant(1, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search("alice", [1, 2, 3, 4], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search("alice", [1, 2, 3, 4], -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search("alice", [1, 2, 3, 4], TenantVectorIndex.MaxK + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search("alice", [1, 2, 3, 4], K, new TenantSearchOptions { Candidates = 0 }));
        var owner = Assert.Throws<InvalidOperationException>(() => index.Revoke(1, "alice"));
        Assert.Contains("Delete the vector", owner.Message, StringComparison.Ordinal);
        Assert.Empty(index.Search("nobody", [1, 2, 3, 4], K));
        Assert.False(index.Grant(99, "bob"));
        Assert.False(index.Revoke(1, "bob"));
        Assert.Single(index.Search("alice", [1, 2, 3, 4], K));
        var option = Assert.Throws<ArgumentOutOfRangeException>(() => new TenantVectorIndex(new TenantIndexOptions { Dimension = 4, FanOut = 1 }));
        Assert.Contains("TenantIndexOptions.FanOut", option.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TenantVectorIndex(new TenantIndexOptions { Dimension = 0 }));
    }

    [Fact]
    public void BloomFilterHasNoFalseNegativesAndFewFalsePositives()
    {
        var bloom = new TenantBloomFilter(1000);
        for (int t = 0; t < 1000; t += 1)
        {
            bloom.Add(t * 3);
        }

        int falsePositives = 0;
        for (int t = 0; t < 3000; t++)
        {
            bool member = t % 3 == 0;
            if (member)
            {
                Assert.True(bloom.MayContain(t));
            }
            else if (bloom.MayContain(t))
            {
                falsePositives++;
            }
        }

        Assert.True(falsePositives < 2000 * 0.03, $"{falsePositives} false positives of 2,000 (over 3%)");
    }
}
