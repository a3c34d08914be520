using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// The <c>ann</c> suite: approximate nearest-neighbour search, Store against SPTAG's SPANN and hnswlib on
/// fashion-mnist, or against hnswlib on 1M generated clustered vectors; recall@10 against QPS per
/// thread, latency, build time, memory and bytes on disk, in one run, ending with <c>result</c> lines.
/// </summary>
internal sealed class AnnSuite : ISuite
{
    public string Name => "ann";

    public string Summary => "vector search: Store vs SPTAG SPANN and hnswlib (fashion-mnist), vs hnswlib (clustered-1m): recall@10, QPS, memory, build";

    public IReadOnlyList<OptionSpec> Options => AnnSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = AnnSettings.From(context);
        var clock = Stopwatch.StartNew();
        int exitCode;
        string path;
        using (var log = ResultLog.Open(context.Output, settings.Dataset == AnnSettings.FashionMnist ? "ann-fmnist" : "ann-c1m", settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            exitCode = settings.Dataset == AnnSettings.FashionMnist
                ? new FashionMnistRun(settings, log, context.Output).Run()
                : new Clustered1mRun(settings, log, context.Output).Run();
            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
