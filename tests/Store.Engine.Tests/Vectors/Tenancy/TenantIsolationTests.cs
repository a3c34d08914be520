using Store.Vectors;

namespace Store.Tests.Vectors.Tenancy;

/// <summary>
/// Randomized isolation: many tenants, random adds, grants, revokes and deletes, driven against
/// <see cref="TenantModel"/>; every result of every search is checked against the model (never a vector
/// the tenant may not access), exhaustive searches must equal brute force, and the tree's invariants are
/// checked as it goes. Small bounds make shortlists split and merge all the time.
/// </summary>
public sealed class TenantIsolationTests
{
    private const int Dimension = 12;

    [Theory]
    [InlineData(7301, VectorElementType.Float32)]
    [InlineData(7302, VectorElementType.UInt8)]
    public void EverySearchResultIsAccessibleAndExhaustiveSearchIsExact(int baseSeed, VectorElementType type)
    {
        int seed = TestMode.Seed(baseSeed);
        var rng = new Random(seed);
        var options = new TenantIndexOptions
        {
            Dimension = Dimension,
            ElementType = type,
            FanOut = 4,
            LeafSize = 12,
            ShortlistBound = 6,
            SearchCandidates = 20,
            Seed = (ulong)seed,
        };
        using var index = new TenantVectorIndex(options);
        var model = new TenantModel();
        string[] tenants = [.. Enumerable.Range(0, 80).Select(t => $"tenant-{t}")];
        float[][] centres = [.. Enumerable.Range(0, 10).Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)rng.Next(20, 236)).ToArray())];
        long nextId = 1;
        var ids = new List<long>();
        int operations = TestMode.Ops(6000);
        int searches = 0, results = 0;
        string Tenant() => tenants[(int)(tenants.Length * Math.Pow(rng.NextDouble(), 2))]; // skewed: low numbers are big tenants
        float[] Vector()
        {
            float[] centre = centres[rng.Next(centres.Length)];
            return [.. centre.Select(c => (float)Math.Clamp(Math.Round(c + (rng.NextDouble() * 30) - 15), 0, 255))];
        }

        for (int op = 0; op < operations; op++)
        {
            if (op == operations / 3)
            {
                index.Rebuild(); // trains the tree on what is there; later adds route through it
                index.CheckInvariants();
            }

            int dice = rng.Next(100);
            if (op > operations * 2 / 3 && dice < 35)
            {
                dice = 70 + (dice % 8); // the last third shrinks: deletes instead of adds, so shortlists merge back
            }

            string context = $"seed {seed}, op {op}";
            if (dice < 35 || ids.Count < 20)
            {
                long id = nextId++;
                string owner = Tenant();
                float[] v = Vector();
                index.Add(id, owner, v);
                model.Vectors[id] = (owner, [], v);
                ids.Add(id);
            }
            else if (dice < 55)
            {
                long id = ids[rng.Next(ids.Count)];
                string tenant = Tenant();
                bool expected = !model.CanAccess(id, tenant);
                Assert.True(expected == index.Grant(id, tenant), context);
                model.Vectors[id].Grants.Add(tenant);
            }
            else if (dice < 70)
            {
                long id = ids[rng.Next(ids.Count)];
                var v = model.Vectors[id];
                string tenant = v.Grants.Count > 0 && rng.Next(4) > 0 ? v.Grants.ElementAt(rng.Next(v.Grants.Count)) : Tenant();
                if (tenant == v.Owner)
                {
                    Assert.Throws<InvalidOperationException>(() => index.Revoke(id, tenant));
                    continue;
                }

                Assert.True(v.Grants.Remove(tenant) == index.Revoke(id, tenant), context);
            }
            else if (dice < 78)
            {
                int at = rng.Next(ids.Count);
                long id = ids[at];
                Assert.True(index.Delete(id), context);
                Assert.False(index.Delete(id), context);
                model.Vectors.Remove(id);
                ids[at] = ids[^1];
                ids.RemoveAt(ids.Count - 1);
            }
            else
            {
                string tenant = Tenant();
                float[] query = Vector();
                int k = 1 + rng.Next(12);
                bool exhaustive = rng.Next(3) == 0;
                VectorMatch[] found = index.Search(tenant, query, k, exhaustive ? new TenantSearchOptions { Candidates = int.MaxValue } : null);
                searches++;
                results += found.Length;
                Assert.Equal(Math.Min(k, model.AccessibleCount(tenant)), found.Length);
                Assert.Equal(found.Length, found.Select(m => m.Id).Distinct().Count());
                for (int i = 0; i < found.Length; i++)
                {
                    Assert.True(model.CanAccess(found[i].Id, tenant), $"{context}: tenant {tenant} got vector {found[i].Id}, which it may not access");
                    Assert.True(i == 0 || found[i - 1].Distance <= found[i].Distance, $"{context}: results out of order");
                    Assert.Equal(VectorKernels.L2Squared(query, model.Vectors[found[i].Id].Vector), found[i].Distance);
                }

                if (exhaustive)
                {
                    Assert.Equal(model.NearestDistances(tenant, query, k), found.Select(m => m.Distance).ToArray());
                }
            }

            if (op % 500 == 499)
            {
                index.CheckInvariants();
            }
        }

        index.CheckInvariants();
        TenantTreeStats stats = index.TreeStats;
        Assert.True(stats.Splits > 0 && stats.Merges > 0, $"seed {seed}: splits {stats.Splits}, merges {stats.Merges}: the bounds should make both happen");
        Assert.True(searches > operations / 10 && results > searches, $"seed {seed}: only {searches} searches with {results} results");

        // Every vector, for every tenant: access as the model says.
        foreach (long id in ids.Take(300))
        {
            foreach (string tenant in tenants)
            {
                Assert.Equal(model.CanAccess(id, tenant), index.CanAccess(id, tenant));
            }
        }
    }

    [Fact]
    public async Task ConcurrentSearchesDuringGrantsAndRevokesNeverSeeAnotherTenantsVectors()
    {
        int seed = TestMode.Seed(7310);
        var rng = new Random(seed);
        using var index = new TenantVectorIndex(new TenantIndexOptions { Dimension = 8, LeafSize = 16, ShortlistBound = 8, Seed = 3 });

        // Tenant "reader" owns the even ids; "other" owns the odd ones and only ever grants them to "third".
        for (int id = 0; id < 2000; id++)
        {
            index.Add(id, id % 2 == 0 ? "reader" : "other", [.. Enumerable.Range(0, 8).Select(_ => (float)rng.NextDouble())]);
        }

        index.Rebuild();
        using var stop = new CancellationTokenSource();
        int searches = 0;
        var searcher = Task.Run(() =>
        {
            var local = new Random(seed + 1);
            var results = new VectorMatch[10];
            long checkedResults = 0;
            while (!stop.IsCancellationRequested)
            {
                float[] query = [.. Enumerable.Range(0, 8).Select(_ => (float)local.NextDouble())];
                int n = index.Search("reader", query, results);
                for (int i = 0; i < n; i++)
                {
                    Assert.True(results[i].Id % 2 == 0, $"reader saw odd vector {results[i].Id}");
                }

                checkedResults += n;
                Interlocked.Increment(ref searches);
            }

            return checkedResults;
        });
        for (int round = 0; round < TestMode.Ops(3000) || Volatile.Read(ref searches) < 200; round++)
        {
            long id = (rng.Next(1000) * 2) + 1;
            if (!index.Grant(id, "third"))
            {
                Assert.True(index.Revoke(id, "third"));
            }
        }

        await stop.CancelAsync();
        Assert.True(await searcher > 0);
        index.CheckInvariants();
    }
}
