using System.Diagnostics;
using System.Globalization;
using Store.Bench.Reporting;
using Store.Bench.Suites.Ann;
using Store.Kv;
using Store.Vectors;

namespace Store.Bench.Suites.Churn;

/// <summary>
/// One churn run: the first half of a shuffled fashion-mnist (uint8, L2) is added and indexed (SPANN,
/// default options), then the other half is added one vector at a time while deletes of random live
/// vectors keep pace (a fifth of all vectors by the end), a thread searching all the while; at each
/// point of the stream the writes pause for a recall@10 measurement against exact search over the live
/// set. At the end (maintenance drained) the same is measured on a fresh build over the final set.
/// </summary>
internal sealed class ChurnRun(ChurnSettings settings, ResultLog log)
{
    private const int K = 10;
    private const int Dimension = 784;

    public int Run()
    {
        string trainFile = Path.Combine(settings.Source, "train-images-idx3-ubyte.gz");
        string testFile = Path.Combine(settings.Source, "t10k-images-idx3-ubyte.gz");
        if (!File.Exists(trainFile) || !File.Exists(testFile))
        {
            log.Line($"# churn: cannot run: {trainFile} or {testFile} is missing (install the Debian package dataset-fashion-mnist, or pass --source)");
            return 1;
        }

        VectorMatrix train = VectorFileReader.Read(trainFile, limit: settings.Vectors);
        VectorMatrix test = VectorFileReader.Read(testFile, limit: settings.Queries);
        float[] queries = test.Data;
        var random = new Random(settings.Seed);
        int[] order = [.. Enumerable.Range(0, train.Count)];
        random.Shuffle(order);
        int built = (int)(train.Count * ChurnSettings.BuildShare);
        int deletes = (int)(train.Count * ChurnSettings.DeleteShare);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"# fashion-mnist: {train.Count} x {train.Dimension} vectors ({built} built, {train.Count - built} streamed, {deletes} deleted), {test.Count} queries; uint8, L2"));

        string root = Path.Combine(settings.WorkDirectory, $"store-bench-churn-{Environment.ProcessId}");
        try
        {
            return Measure(train, queries, order, built, deletes, random, root);
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private int Measure(VectorMatrix train, float[] queries, int[] order, int built, int deletes, Random random, string root)
    {
        var options = new VectorCollectionOptions
        {
            Dimension = Dimension,
            Metric = VectorMetric.L2,
            ElementType = VectorElementType.UInt8,
            Index = VectorIndexKind.Spann,
            Spann = new SpannOptions { MaxPostingVectors = settings.MaxPosting },
        };
        using var db = Database.Open(Path.Combine(root, "updated"));
        VectorCollection c = db.CreateVectorCollection("churn", options);
        var live = new List<long>(train.Count);
        var clock = Stopwatch.StartNew();
        AddAll(c, train, order.AsSpan(0, built), live);
        c.BuildIndex();
        log.Line(string.Create(CultureInfo.InvariantCulture, $"# built on {built} vectors in {clock.Elapsed.TotalSeconds:0.0} s: {c.UpdateStatistics!.Heads} heads"));
        double start = Recall(c, train, queries, live);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"# recall@{K} after the build: {start:0.0000}"));

        var inserts = new LatencySamples();
        var removes = new LatencySamples();
        var searches = new LatencySamples(); // by the searcher threads
        using var stop = new CancellationTokenSource();
        var searchers = Enumerable.Range(0, settings.Searchers)
            .Select(_ => new Thread(() => SearchLoop(c, queries, searches, stop.Token)) { IsBackground = true, Name = "churn-searcher" })
            .ToList();
        searchers.ForEach(t => t.Start());

        log.Line("");
        log.Line($"recall@10 over the stream (writes paused while measuring; latencies in ms over the stretch before each row; search: {settings.Searchers} thread(s) searching throughout, Lists 16):");
        log.Line("| streamed | inserted | deleted | live | recall@10 | insert p50 | insert p99 | delete p99 | search p50 | search p99 | splits | merges | reassigned | heads |");
        log.Line("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        int streamed = order.Length - built;
        int deleted = 0;
        int nextPoint = 1;
        var timer = new Stopwatch();
        for (int i = 0; i < streamed; i++)
        {
            int row = order[built + i];
            timer.Restart();
            c.Add(row, train.Row(row));
            inserts.Add(timer.Elapsed.TotalMilliseconds);
            live.Add(row);
            while (deleted < (long)deletes * (i + 1) / streamed)
            {
                int at = random.Next(live.Count);
                long victim = live[at];
                live[at] = live[^1];
                live.RemoveAt(live.Count - 1);
                timer.Restart();
                c.Remove(victim);
                removes.Add(timer.Elapsed.TotalMilliseconds);
                deleted++;
            }

            if (i + 1 == (long)streamed * nextPoint / settings.Checkpoints)
            {
                double recall = Recall(c, train, queries, live);
                SpannUpdateStatistics s = c.UpdateStatistics!;
                log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"| {(i + 1) * 100.0 / streamed:0}% | {i + 1} | {deleted} | {live.Count} | {recall:0.0000} | {LatencySamples.Format(inserts.PercentileSinceMark(50))} | {LatencySamples.Format(inserts.PercentileSinceMark(99))} | " +
                    $"{LatencySamples.Format(removes.PercentileSinceMark(99))} | {LatencySamples.Format(searches.PercentileSinceMark(50))} | {LatencySamples.Format(searches.PercentileSinceMark(99))} | {s.Splits} | {s.Merges} | {s.Reassigned} | {s.Heads} |"));
                inserts.Mark();
                removes.Mark();
                searches.Mark();
                nextPoint++;
            }
        }

        double streamSeconds = clock.Elapsed.TotalSeconds;
        var drain = Stopwatch.StartNew();
        while (c.UpdateStatistics!.PendingSplits > 0 && drain.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(50);
        }

        stop.Cancel();
        searchers.ForEach(t => t.Join());
        SpannUpdateStatistics final = c.UpdateStatistics!;
        double updated = Recall(c, train, queries, live);
        log.Line("");
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"# after the stream (maintenance drained in {drain.Elapsed.TotalSeconds:0.0} s): {live.Count} live, recall@{K} {updated:0.0000}; {final.Splits} splits, {final.Merges} merges, {final.Reassigned} reassigned, {final.Heads} heads, {final.PostingBlocks} posting blocks, {final.HeadLinksRepaired} head links repaired"));

        clock.Restart();
        using var freshDb = Database.Open(Path.Combine(root, "fresh"));
        VectorCollection fresh = freshDb.CreateVectorCollection("churn", options);
        var freshLive = new List<long>(live.Count);
        AddAll(fresh, train, [.. live.Select(id => (int)id).Order()], freshLive);
        fresh.BuildIndex();
        double freshRecall = Recall(fresh, train, queries, live);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"# fresh build on the final {live.Count} vectors in {clock.Elapsed.TotalSeconds:0.0} s: {fresh.UpdateStatistics!.Heads} heads, recall@{K} {freshRecall:0.0000}"));
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"# latency over the whole stream ({inserts.Count} inserts, {removes.Count} deletes, {searches.Count} searches by {settings.Searchers} thread(s) beside them; this 2-core machine is shared, so figures are noisy):"));

        Result("recall_updated", updated, "0.0000");
        Result("recall_fresh", freshRecall, "0.0000");
        Result("recall_gap", (freshRecall - updated) * 100, "0.00");
        Result("insert_p50_ms", inserts.Percentile(50), "0.000");
        Result("insert_p99_ms", inserts.Percentile(99), "0.000");
        Result("delete_p50_ms", removes.Percentile(50), "0.000");
        Result("delete_p99_ms", removes.Percentile(99), "0.000");
        Result("search_p99_ms_during_updates", searches.Percentile(99), "0.000");
        Result("stream_seconds", streamSeconds, "0.0");
        bool gapMet = (freshRecall - updated) * 100 <= 2;
        bool insertMet = inserts.Percentile(99) < 2;
        log.Line($"# target churn.recall_gap <= 2 points: {(gapMet ? "met" : "NOT met")}");
        log.Line($"# target churn.insert_p99_ms < 2: {(insertMet ? "met" : "NOT met")}");
        return 0;
    }

    private void Result(string name, double value, string format) =>
        log.Line($"result churn.{name} {value.ToString(format, CultureInfo.InvariantCulture)}");

    private static void AddAll(VectorCollection c, VectorMatrix train, ReadOnlySpan<int> rows, List<long> live)
    {
        var ids = new long[rows.Length];
        var vectors = new float[rows.Length * Dimension];
        for (int i = 0; i < rows.Length; i++)
        {
            ids[i] = rows[i];
            train.Row(rows[i]).CopyTo(vectors.AsSpan(i * Dimension));
            live.Add(rows[i]);
        }

        c.AddRange(ids, vectors);
    }

    private static void SearchLoop(VectorCollection c, float[] queries, LatencySamples samples, CancellationToken stop)
    {
        int count = queries.Length / Dimension;
        var results = new VectorMatch[K];
        var timer = new Stopwatch();
        for (int q = 0; !stop.IsCancellationRequested; q = (q + 1) % count)
        {
            timer.Restart();
            c.Search(queries.AsSpan(q * Dimension, Dimension), results);
            samples.Add(timer.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>Mean share of each query's exact top 10 over the live vectors that the collection returns.</summary>
    private static double Recall(VectorCollection c, VectorMatrix train, float[] queries, List<long> live)
    {
        var rows = new float[live.Count * Dimension];
        for (int i = 0; i < live.Count; i++)
        {
            train.Row((int)live[i]).CopyTo(rows.AsSpan(i * Dimension));
        }

        int[] truth = BruteForceKnn.Compute(rows, queries, Dimension, K);
        int count = queries.Length / Dimension;
        var results = new VectorMatch[K];
        double hits = 0;
        for (int q = 0; q < count; q++)
        {
            int n = c.Search(queries.AsSpan(q * Dimension, Dimension), results);
            var expected = new HashSet<long>();
            for (int j = 0; j < K; j++)
            {
                expected.Add(live[truth[(q * K) + j]]);
            }

            for (int j = 0; j < n; j++)
            {
                if (expected.Contains(results[j].Id))
                {
                    hits++;
                }
            }
        }

        return hits / (count * (double)K);
    }
}
