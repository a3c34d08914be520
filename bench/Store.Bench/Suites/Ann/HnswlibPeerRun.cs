using System.Globalization;
using Store.Bench.Peers.Ann;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// hnswlib (M=16, efConstruction=200, the ef sweep of <see cref="AnnSweeps"/>) through hnswlib_rss.py:
/// its QPS and memory as it reports them, its recall computed here from the ids it wrote, with the same
/// code as every other system (its own figure is shown when it differs).
/// </summary>
internal static class HnswlibPeerRun
{
    public const string Name = "hnswlib";

    public static void Run(AnnPeerPaths paths, AnnDataset data, string workDirectory, AnnResultBook book, Action<string> log)
    {
        string outDirectory = Path.Combine(workDirectory, $"store-bench-ann-hnswlib-{Environment.ProcessId}");
        int queries = data.Queries.Count;
        log($"# hnswlib: M={AnnSweeps.HnswM} efConstruction={AnnSweeps.HnswEfConstruction} ef={string.Join(',', AnnSweeps.HnswlibEfs)}, " +
            $"{queries} queries, float32, built with all cores, queries as one knn_query batch with set_num_threads(1) and (2)");
        try
        {
            var report = HnswlibRunner.Run(
                paths, data.BaseFile, data.QueryFile, data.TruthFile, queries, AnnSweeps.HnswM, AnnSweeps.HnswEfConstruction,
                AnnSweeps.HnswlibEfs, outDirectory, log);
            foreach (var p in report.Points)
            {
                var ids = HnswlibRunner.ReadIds(p.IdsFile);
                if (ids.Length != queries * AnnSubjectRun.K)
                {
                    log($"# hnswlib: {p.IdsFile} holds {ids.Length} ids, expected {queries * AnnSubjectRun.K}; ef={p.Ef} left out");
                    continue;
                }

                var recall = Recall.Compute(ids, AnnSubjectRun.K, data);
                string note = Math.Abs(recall.Strict - p.ScriptRecall10) > 1e-3
                    ? string.Create(CultureInfo.InvariantCulture, $"its script says recall {p.ScriptRecall10:0.0000}")
                    : "";
                book.Add(new AnnPoint(Name, $"ef={p.Ef}", recall.Strict, recall.WithTies, p.Qps1, p.Qps2, null, null, note));
            }

            foreach (string problem in report.Problems)
            {
                log($"# hnswlib: PROBLEM: {problem}");
            }

            string afterQueries = report.RssAfterQueriesKib - report.RssBeforeKib is { } kib
                ? ((kib * 1024) / 1e6).ToString("0.0", CultureInfo.InvariantCulture)
                : "n/a";
            book.Add(new AnnSystemFigures(
                Name,
                report.BuildSeconds,
                $"init_index + add_items, {report.BuildThreads?.ToString(CultureInfo.InvariantCulture) ?? "?"} threads, as its script measured it",
                report.IndexRssBytes,
                $"its VmRSS after add_items minus before init_index (data set already loaded); +{afterQueries} MB after the queries",
                null,
                "in memory only"));
        }
        finally
        {
            if (Directory.Exists(outDirectory))
            {
                Directory.Delete(outDirectory, recursive: true);
            }
        }
    }
}
