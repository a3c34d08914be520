using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Peers.RocksDb;
using Store.Bench.Reporting;
using Store.Bench.Suites.Kv.Engines;

namespace Store.Bench.Suites.Kv;

/// <summary>
/// The <c>kv</c> suite: the same workloads (db_bench's fillrandom, readrandom, readwhilewriting,
/// seekrandom with 10 nexts) on Store, RocksDB and FASTER KV in one run, 16-byte keys and 100-byte
/// values, log on without per-operation fsync for all three; plus bytes on disk and recovery speed.
/// </summary>
internal sealed class KvSuite : ISuite
{
    public string Name => "kv";

    public string Summary => "Store vs RocksDB (C API) vs FASTER KV: fillrandom, readrandom, readwhilewriting, seek+10 next, recovery, bytes on disk";

    public IReadOnlyList<OptionSpec> Options => KvSettings.Options;

    public int Run(SuiteContext context)
    {
        var settings = KvSettings.From(context);
        var clock = Stopwatch.StartNew();
        int exitCode;
        string path;
        using (var log = ResultLog.Open(context.Output, Name, settings.Quick, context.OutDirectory))
        {
            log.Line($"# settings: {settings.Describe()}");
            var peers = new List<KvPeer>();
            foreach (string name in settings.Engines)
            {
                KvPeer peer = name switch
                {
                    StorePeer.CommandName => new StorePeer(),
                    RocksDbPeer.CommandName => new RocksDbPeer(settings.AllowInstall, settings.RocksDbTuned ? RocksDbTuning.ForReads : RocksDbTuning.Default),
                    _ => new FasterPeer(),
                };
                if (peer.CheckAvailable(log.Line))
                {
                    peers.Add(peer);
                    log.Line($"# {peer.Describe()}");
                }
            }

            exitCode = new KvSession(settings, peers, log, context.Output).Run();
            log.Line($"# total time: {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            path = log.Path;
        }

        context.Output.WriteLine($"results written to {path}");
        return exitCode;
    }
}
