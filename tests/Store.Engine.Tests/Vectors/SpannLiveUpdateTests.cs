using Store.Kv;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// SPFresh-style live updates of a built SPANN collection: random inserts, deletes and replaces checked
/// against an exact model (every result live with its true distance, recall floors, nothing live lost),
/// persistence across close and reopen, searches racing updates and maintenance, damaged blocks.
/// </summary>
public sealed class SpannLiveUpdateTests
{
    private const int K = 10;
    private const int Dimension = 16;

    private static readonly VectorSearchOptions Wide = new() { Ef = 64, Lists = 48, Epsilon = 1000 };
    private static readonly VectorSearchOptions Exhaustive = new() { Ef = 1024, Lists = 1024, Epsilon = 1e30f };

    /// <summary>Small lists and frequent checkpoints, so splits, merges and checkpoints all happen in a short run.</summary>
    private static VectorCollectionOptions Options => new()
    {
        Dimension = Dimension,
        Index = VectorIndexKind.Spann,
        Spann = new SpannOptions { HeadRatio = 0.1, MaxPostingVectors = 32, ReplicaCount = 4, MergeThreshold = 3, ReassignHeads = 8, CheckpointChanges = 400 },
    };

    [Fact]
    public void ChurnMatchesAnExactModelBeforeAndAfterReopen()
    {
        var data = new ClusteredData(4000, 40, Dimension, 30, TestMode.Seed(5101));
        using var temp = new TempDirectory("spann-churn");
        string path = temp.Combine("db");
        var model = new Dictionary<long, float[]>();
        var random = new Random(TestMode.Seed(5102));
        int nextPool = 0;
        long nextId = 0;
        var written = new HashSet<long>(); // ids inserted or replaced after the build
        float[] NextVector()
        {
            int p = nextPool++;
            float[] v = data.Vector(p % data.Count).ToArray();
            v[0] += p / data.Count * 0.01f; // past the pool: shifted copies
            return v;
        }

        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("c", Options);
            var ids = new List<long>();
            var flat = new List<float>();
            for (int i = 0; i < 1500; i++)
            {
                float[] v = NextVector();
                model[nextId] = v;
                ids.Add(nextId++);
                flat.AddRange(v);
            }

            c.AddRange(ids, flat.ToArray());
            c.BuildIndex();
            Check(c, data, model, "after build");

            int ops = TestMode.Ops(2000);
            for (int op = 1; op <= ops; op++)
            {
                int kind = random.Next(10);
                if (kind < 5 || model.Count < 100)
                {
                    float[] v = NextVector();
                    c.Add(nextId, v);
                    written.Add(nextId);
                    model[nextId++] = v;
                }
                else if (kind < 8)
                {
                    long victim = model.Keys.ElementAt(random.Next(model.Count));
                    Assert.True(c.Remove(victim));
                    model.Remove(victim);
                }
                else
                {
                    long target = model.Keys.ElementAt(random.Next(model.Count));
                    float[] v = NextVector();
                    c.Add(target, v);
                    written.Add(target);
                    model[target] = v;
                }

                if (op % 1000 == 0)
                {
                    Check(c, data, model, $"after {op} operations");

                    // Reachability is the maintenance thread's promise (it re-links heads an insert's pruning cut
                    // off, and finishes reassignments): checked once it has caught up, not mid-step. A fresh-clone
                    // CI run on 2026-12-07 failed here, with one live head cut off and not yet re-linked.
                    c.Spann!.Maintenance.RunUntilIdle();
                    CheckReachable(c, model, written, $"after {op} operations");
                }
            }

            c.Spann!.Maintenance.RunUntilIdle();
            SpannUpdateStatistics stats = c.UpdateStatistics!;
            Assert.True(stats.Splits > 0, "the run never split a list: the test does not exercise splits");
            Assert.True(stats.Reassigned > 0, "the splits never reassigned a vector");
            Check(c, data, model, "after maintenance");
            CheckReachable(c, model, written, "after maintenance");
            Assert.Equal(model.Count, c.Count);
        }

        for (int round = 0; round < 2; round++)
        {
            using var db = Database.Open(path);
            VectorCollection c = db.GetVectorCollection("c");
            Check(c, data, model, $"after reopen {round}");
            CheckReachable(c, model, written, $"after reopen {round}");
            float[] v = NextVector();
            c.Add(nextId, v);
            model[nextId++] = v;
            long victim = model.Keys.First();
            c.Remove(victim);
            model.Remove(victim);
        }
    }

    [Fact]
    public void SearchesDuringUpdatesAndMaintenanceNeverSeeDeletedVectorsOrTornLists()
    {
        var data = new ClusteredData(6000, 50, Dimension, 30, TestMode.Seed(5201));
        using var temp = new TempDirectory("spann-concurrent");
        using var db = Database.Open(temp.Combine("db"));
        VectorCollection c = db.CreateVectorCollection("c", Options);
        c.AddRange([.. Enumerable.Range(0, 1500).Select(i => (long)i)], data.Base.AsSpan(0, 1500 * Dimension));
        c.BuildIndex();

        // Ids are never re-added after a delete, and a vector never changes under its id.
        long[] deletedOrder = new long[data.Count];
        int deletedCount = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        long searches = 0;
        var searchers = Enumerable.Range(0, 2).Select(s => new Thread(() =>
        {
            var random = new Random(s);
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    int q = random.Next(data.QueryCount);
                    int before = Volatile.Read(ref deletedCount);
                    var deleted = new HashSet<long>(deletedOrder.Take(before));
                    foreach (VectorMatch m in c.Search(data.Query(q), K, Wide))
                    {
                        if (deleted.Contains(m.Id))
                        {
                            failures.Enqueue($"query {q} returned {m.Id}, deleted before the search began");
                        }

                        float exact = L2(data.Query(q), data.Vector((int)m.Id));
                        if (Math.Abs(exact - m.Distance) > 1e-3f * Math.Max(1, exact))
                        {
                            failures.Enqueue($"query {q}: {m.Id} at {m.Distance}, truly {exact}");
                        }
                    }

                    Interlocked.Increment(ref searches);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e.ToString());
            }
        })).ToList();
        searchers.ForEach(t => t.Start());

        var order = new Random(TestMode.Seed(5202));
        var live = Enumerable.Range(0, 1500).Select(i => (long)i).ToList();
        int end = Math.Min(data.Count, 1500 + TestMode.Ops(2500));
        for (int next = 1500; next < end; next++)
        {
            c.Add(next, data.Vector(next));
            live.Add(next);
            if (order.Next(3) == 0)
            {
                int at = order.Next(live.Count);
                long victim = live[at];
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
                Assert.True(c.Remove(victim));
                deletedOrder[deletedCount] = victim;
                Volatile.Write(ref deletedCount, deletedCount + 1);
            }
        }

        stop.Cancel();
        searchers.ForEach(t => t.Join());
        Assert.True(failures.IsEmpty, string.Join('\n', failures.Take(5)));
        Assert.True(Interlocked.Read(ref searches) > 20, $"only {searches} searches ran beside the updates");
        Assert.True(c.UpdateStatistics!.Splits > 0, "no split ran beside the searches");
    }

    [Fact]
    public void BlocksWrittenSinceTheLastSyncAreSearchedFromMemoryWithTheSameResults()
    {
        var data = new ClusteredData(2400, 24, Dimension, 20, TestMode.Seed(5401));
        using var temp = new TempDirectory("spann-unsynced");
        using var db = Database.Open(temp.Combine("db"));
        VectorCollection c = db.CreateVectorCollection("c", new VectorCollectionOptions
        {
            Dimension = Dimension,
            Index = VectorIndexKind.Spann,
            Spann = new SpannOptions { HeadRatio = 0.1, MaxPostingVectors = 32, ReplicaCount = 4, MergeThreshold = 3, ReassignHeads = 8, CheckpointChanges = 1_000_000 },
        });
        c.AddRange([.. Enumerable.Range(0, 1200).Select(i => (long)i)], data.Base.AsSpan(0, 1200 * Dimension));
        c.BuildIndex();
        SpannIndex spann = c.Spann!;
        spann.Maintenance.SyncPeriod = TimeSpan.FromHours(1);
        for (int i = 1200; i < 2400; i++)
        {
            c.Add(i, data.Vector(i));
        }

        for (int i = 0; i < 2400; i += 7)
        {
            c.Remove(i);
        }

        // Maintenance holds still (its steps take the step lock) so both passes search the same lists.
        spann.Maintenance.RunUntilIdle();
        lock (spann.Maintenance.StepLock)
        {
            CompareMemoryAndFileSearches(c, spann, data);
        }
    }

    private static void CompareMemoryAndFileSearches(VectorCollection c, SpannIndex spann, ClusteredData data)
    {
        // The blocks the appends wrote are still only in memory (and in the page cache): searches read them from memory.
        Assert.True(spann.Store.Unsynced.Count > 0);
        var fromMemory = Enumerable.Range(0, data.QueryCount).Select(q => c.Search(data.Query(q), K, Wide)).ToList();
        Assert.Contains(fromMemory.SelectMany(r => r), hit => hit.Id >= 1200);

        spann.Store.Flush();
        Assert.Equal(0, spann.Store.Unsynced.Count);
        for (int q = 0; q < data.QueryCount; q++)
        {
            VectorMatch[] fromFile = c.Search(data.Query(q), K, Wide);
            Assert.Equal(fromMemory[q].Select(r => (r.Id, r.Distance)), fromFile.Select(r => (r.Id, r.Distance)));
            Assert.DoesNotContain(fromFile, hit => hit.Id % 7 == 0);
        }
    }

    [Fact]
    public void ADamagedBlockWrittenByAnAppendIsDetected()
    {
        var data = new ClusteredData(1200, 20, Dimension, 10, TestMode.Seed(5301));
        using var temp = new TempDirectory("spann-damaged");
        string path = temp.Combine("db");
        long offset;
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.CreateVectorCollection("c", new VectorCollectionOptions { Dimension = Dimension, Index = VectorIndexKind.Spann, Spann = new SpannOptions { HeadRatio = 0.1, MaxPostingVectors = 10_000 } });
            c.AddRange([.. Enumerable.Range(0, 1000).Select(i => (long)i)], data.Base.AsSpan(0, 1000 * Dimension));
            c.BuildIndex();
            int firstNew = c.Spann!.Versions.Count;
            c.Add(1000, data.Vector(1000));

            // A block the append just wrote: the last block of a list holding the new vector's entry.
            SpannIndex spann = c.Spann!;
            int head = Enumerable.Range(0, spann.HeadCount).First(h => spann.ListOf(h) is { Count: > 0 } list && ListEndsWith(spann, h, list, firstNew));
            offset = spann.Store.OffsetOf(spann.ListOf(head)!.Blocks[^1]) + PostingBlock.HeaderSize + 7;
        }

        byte[] bytes = File.ReadAllBytes(Path.Combine(path, "vectors", "c", "spann.postings"));
        bytes[offset] ^= 0x5A;
        File.WriteAllBytes(Path.Combine(path, "vectors", "c", "spann.postings"), bytes);
        using (var db = Database.Open(path))
        {
            VectorCollection c = db.GetVectorCollection("c");
            Assert.Throws<StoreCorruptionException>(() =>
            {
                for (int q = 0; q < data.QueryCount; q++)
                {
                    c.Search(data.Query(q), K, Exhaustive);
                }
            });
        }
    }

    private static bool ListEndsWith(SpannIndex spann, int head, PostingList list, int id)
    {
        PostingBlock layout = spann.Store.Layout;
        using var buffer = new Store.Storage.AlignedBuffer(layout.BlockBytes);
        spann.Store.Read(list.Blocks[^1], buffer.Span);
        int n = layout.EntriesIn(list.Count, list.Blocks.Length, list.Blocks.Length - 1);
        return layout.IsIntact(buffer.Span, head, n, verify: true) && layout.IdAt(buffer.Span, n - 1) == id;
    }

    /// <summary>
    /// Every vector written after the build and still live is reachable: an exhaustive search for its own
    /// vector finds it at distance 0. (The build itself may leave a vector in no list: lists are capped at
    /// MaxPostingVectors and keep their closest entries, as in SPANN; updates never drop one.)
    /// </summary>
    private static void CheckReachable(VectorCollection c, Dictionary<long, float[]> model, HashSet<long> written, string when)
    {
        foreach (long id in written.Where(model.ContainsKey).Order().Where((_, i) => i % 7 == 0).Take(150))
        {
            VectorMatch[] found = c.Search(model[id], 5, Exhaustive);
            if (!found.Any(m => m.Id == id && m.Distance == 0))
            {
                int internalId = c.InternalIdOf(id);
                string where = internalId < 0 ? "not mapped" : c.Spann!.DescribePlacement(internalId);
                Assert.Fail($"{when}: vector {id}, written after the build, is in no list (found {string.Join(", ", found.Select(m => $"{m.Id}@{m.Distance}"))})\n{where}");
            }
        }
    }

    /// <summary>
    /// Every result is live with its true distance, no id twice; recall@10 against exact search over the
    /// model is at least 0.9 with a wide search and 0.97 with an exhaustive one (the build's capped lists
    /// may leave a few vectors unreachable; <see cref="CheckReachable"/> covers later writes).
    /// </summary>
    private static void Check(VectorCollection c, ClusteredData data, Dictionary<long, float[]> model, string when)
    {
        double wideHits = 0, fullHits = 0;
        for (int q = 0; q < data.QueryCount; q++)
        {
            float[] query = data.Query(q).ToArray();
            var truth = model.Select(p => (Distance: L2(query, p.Value), Id: p.Key)).OrderBy(p => p.Distance).ThenBy(p => p.Id).Take(K).ToList();
            float kth = truth[^1].Distance;
            foreach (VectorSearchOptions options in new[] { Wide, Exhaustive })
            {
                VectorMatch[] found = c.Search(query, K, options);
                Assert.True(found.Select(m => m.Id).Distinct().Count() == found.Length, $"{when}: query {q} returned an id twice");
                foreach (VectorMatch m in found)
                {
                    Assert.True(model.TryGetValue(m.Id, out float[]? v), $"{when}: query {q} returned {m.Id}, which is not in the collection");
                    float exact = L2(query, v);
                    Assert.True(Math.Abs(exact - m.Distance) <= 1e-3f * Math.Max(1, exact), $"{when}: query {q} returned {m.Id} at {m.Distance}, its vector is at {exact} (a stale entry)");
                }

                // Ties at the k-th distance may be broken either way: count a result as a hit if it is that close.
                int hits = found.Count(m => m.Distance <= kth * (1 + 1e-5f));
                if (ReferenceEquals(options, Wide))
                {
                    wideHits += hits;
                }
                else
                {
                    fullHits += hits;
                }
            }
        }

        double wide = wideHits / (data.QueryCount * (double)K);
        double full = fullHits / (data.QueryCount * (double)K);
        Assert.True(wide >= 0.9, $"{when}: recall@{K} {wide:0.000} with {Wide.Lists} lists is below 0.9");
        Assert.True(full >= 0.97, $"{when}: an exhaustive search finds recall@{K} {full:0.000}");
    }

    private static float L2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = 0;
        for (int i = 0; i < a.Length; i++)
        {
            float x = a[i] - b[i];
            d += x * x;
        }

        return d;
    }
}
