using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Churn;

/// <summary>
/// The <c>churn</c> suite: live updates of a SPANN collection (SPFresh / LIRE, docs/vectors.md "Live
/// updates"). Builds on half of fashion-mnist (uint8), streams in the other half while deleting a fifth
/// of all vectors, measures insert, delete and concurrent search latency and recall@10 over time, then
/// compares the final recall with a fresh build over the final set; ends with <c>result churn.*</c> lines.
/// </summary>
internal sealed class ChurnSuite : ISuite
{
    public string Name => "churn";

    public string Summary => "SPANN live updates on fashion-mnist: build on 50%, stream in 50% while deleting 20%; recall over time vs a fresh build, insert/delete/search latency";

    public IReadOnlyList<OptionSpec> Options => ChurnSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = ChurnSettings.From(context);
        var clock = Stopwatch.StartNew();
        int exitCode;
        string path;
        using (var log = ResultLog.Open(context.Output, "churn", settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            exitCode = new ChurnRun(settings, log).Run();
            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
