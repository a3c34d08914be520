using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Measurement;
using Store.Bench.Peers;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// The <c>bskiplist</c> suite: the engine's B-skiplist against a classic one-key-per-node lazy
/// skiplist, a locked red-black tree and ConcurrentDictionary, over YCSB-style workloads.
/// </summary>
internal sealed class BSkipListSuite : ISuite
{
    public string Name => "bskiplist";

    public string Summary => "B-skiplist vs classic lazy skiplist, SortedSet+lock, ConcurrentDictionary (YCSB Load/A/B/C/E)";

    public IReadOnlyList<OptionSpec> Options => SuiteSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = SuiteSettings.From(context);
        var peers = settings.Peers.Select(name => PeerCatalog.Get(name, settings.NodeCapacity)).ToList();
        if (settings.SelfCheck)
        {
            return SelfCheck.Run(peers, context.Output);
        }

        var clock = Stopwatch.StartNew();
        int exitCode;
        string path;
        using (var log = ResultLog.Open(context.Output, Name, settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            try
            {
                exitCode = new BenchmarkSession(settings, peers, RunPlan.Build(settings.Quick, settings.Threads), log).Run();
            }
            catch (StuckWorkersException e)
            {
                log.Line($"# aborted: {e.Message}");
                exitCode = 1;
            }

            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
