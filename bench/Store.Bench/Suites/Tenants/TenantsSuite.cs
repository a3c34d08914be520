using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Tenants;

/// <summary>
/// The <c>tenants</c> suite: tenant-scoped k-NN on fashion-mnist with 1,000 generated tenants (Zipf sizes,
/// sharing): Store's Curator-style index against one shared index with post-filtering and one index per
/// tenant, in one run: recall@10, QPS, latency, memory and insert latency, ending with <c>result</c> lines.
/// </summary>
internal sealed class TenantsSuite : ISuite
{
    public string Name => "tenants";

    public string Summary => "multi-tenant vector search (fashion-mnist, 1,000 Zipf tenants): Curator-style tree vs shared index + filter vs per-tenant indexes";

    public IReadOnlyList<OptionSpec> Options => TenantsSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = TenantsSettings.From(context);
        var clock = Stopwatch.StartNew();
        int exitCode;
        string path;
        using (var log = ResultLog.Open(context.Output, "tenants", settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            exitCode = new TenantsRun(settings, log).Run();
            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
