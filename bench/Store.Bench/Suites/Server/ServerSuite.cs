using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Server;

/// <summary>
/// The <c>server</c> suite: the Store server through the real <see cref="Client.StoreClient"/> against Redis 7
/// under redis-benchmark, in one run and the same shape: 100,000 keys loaded in both, GET and SET of
/// 16-byte values on random keys, 50 concurrent callers, pipeline depth 1 and 16.
/// </summary>
internal sealed class ServerSuite : ISuite
{
    public string Name => "server";

    public string Summary => "Store server + StoreClient vs Redis 7 (redis-benchmark): GET/SET 16 B, 100k keys, 50 clients, pipeline 1 and 16";

    public IReadOnlyList<OptionSpec> Options => ServerSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = ServerSettings.From(context);
        var clock = Stopwatch.StartNew();
        string path;
        int exitCode;
        using (var log = ResultLog.Open(context.Output, Name, settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            exitCode = new ServerSession(settings, log).RunAsync().GetAwaiter().GetResult();
            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
