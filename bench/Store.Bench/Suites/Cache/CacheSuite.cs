using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Cache;

/// <summary>
/// The <c>cache</c> suite: a semantic cache of generated paraphrase clusters over five categories of
/// different density and repetition; lookup latency in process, and hit and false-hit rates under
/// per-category thresholds versus the best uniform one, both chosen on a calibration set and
/// measured on a separate evaluation set.
/// </summary>
internal sealed class CacheSuite : ISuite
{
    public string Name => "cache";

    public string Summary => "semantic cache: 1M x 384-d entries in 5 categories; lookup p50/p99 in process, through the HTTP sidecar and the binary protocol; hit and false-hit rates per-category vs best uniform threshold";

    public IReadOnlyList<OptionSpec> Options => CacheSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = CacheSettings.From(context);
        var clock = Stopwatch.StartNew();
        string path;
        using (var log = ResultLog.Open(context.Output, Name, settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            log.Line("# workload: per category, paraphrase clusters around topics; a query is a fresh paraphrase of a cluster (or of a never-stored one);");
            log.Line("#   a hit is true iff the answering entry is of the query's cluster. hit rate = hits / lookups, false-hit rate = false hits / lookups.");
            log.Line($"# thresholds: chosen on a calibration set (seeded, disjoint from the evaluation set) from a sweep {ThresholdChoice.Low:0.00}..1 step {ThresholdChoice.Step}:");
            log.Line("#   best uniform = the one threshold with the highest overall hit rate whose overall false-hit rate <= budget (categories weighted equally);");
            log.Line("#   per-category = the thresholds with the lowest overall false-hit rate whose overall hit rate >= the best uniform's (same calibration set;");
            log.Line("#   Lagrangian sweep: each category maximises hits - lambda * false hits). Both are then measured on the evaluation set.");
            string directory = Path.Combine(settings.WorkDirectory, $"store-cache-bench-{Environment.ProcessId}");
            try
            {
                new CacheSession(settings, directory, log).Run();
            }
            finally
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }

            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return 0;
    }
}
