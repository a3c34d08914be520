using System.Diagnostics;
using System.Globalization;
using System.Text;
using Store.Bench.Measurement;
using Store.Bench.Peers.Redis;
using Store.Bench.Reporting;
using Store.Client;

namespace Store.Bench.Suites.Server;

/// <summary>One run of the server suite: start both servers, load them, measure every (operation, depth), report.</summary>
internal sealed class ServerSession(ServerSettings settings, ResultLog log)
{
    private readonly List<ServerResult> _results = [];

    public async Task<int> RunAsync()
    {
        string root = RepositoryRoot.Find() ?? throw new InvalidOperationException("run from the repository (Store.sln not found above the binary or the current directory)");
        byte[] value = Encoding.ASCII.GetBytes(new string('x', settings.ValueBytes));
        byte[][] keys = ServerKeys.All(settings.Keys);
        log.Line($"# Store: the server as a child process ({(settings.ServerInThisBinary ? "this binary's serve-store command" : "dotnet exec store-server.dll")}), default options: durability Batched (group commit every 2 ms,");
        log.Line($"#        no fsync per write), admin surface off; load generator: StoreClient in this process, {settings.Connections} multiplexed connection(s), callers spread over them.");
        log.Line($"# Redis: redis-server child process, --save '' --appendonly no (no persistence at all); load generator: redis-benchmark{(settings.RedisThreads > 0 ? $" --threads {settings.RedisThreads}" : "")}.");
        log.Line($"# machine shared by server and load generator in both cases: {Environment.ProcessorCount} cores");
        log.Line($"# Store warm-up before each measured run: at least {settings.WarmupSeconds} s and a fifth of the requests (JIT tiering settles); redis-benchmark runs cold (native code)");

        using StoreServerProcess store = StoreServerProcess.Start(root, log.Line, settings.ServerInThisBinary);
        await using StoreClient client = await store.ConnectAsync(settings.Connections);
        log.Line($"# Store server: {client.ServerName} on {store.Endpoint} ({store.Dll})");
        var load = Stopwatch.StartNew();
        for (int first = 0; first < keys.Length; first += 1000)
        {
            await client.Default.MultiSetAsync([.. keys.Skip(first).Take(1000).Select(k => new KeyValuePair<byte[], byte[]>(k, value))]);
        }

        log.Line($"# Store loaded {keys.Length} keys in {load.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s (MultiSet of 1,000)");

        RedisServer? redis = null;
        if (!settings.SkipRedis)
        {
            if (RedisPrerequisites.Ensure(root, settings.AllowInstall, log.Line) is { } problem)
            {
                log.Line($"# redis skipped: {problem}");
            }
            else
            {
                redis = RedisServer.Start(ServerKeys.FreePort());
                load.Restart();
                try
                {
                    redis.Load(keys.Length, value);
                }
                catch
                {
                    redis.Dispose();
                    throw;
                }

                log.Line($"# Redis {redis.Version} on 127.0.0.1:{redis.Port} loaded {keys.Length} keys in {load.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)} s");
            }
        }

        try
        {
            ServerReport.WriteHeader(log);
            for (int round = 1; round <= settings.Rounds; round++)
            {
                foreach (int depth in settings.Depths)
                {
                    foreach (bool set in new[] { true, false })
                    {
                        await MeasureAsync(round, depth, set);
                    }
                }
            }

            if (redis is not null)
            {
                log.Line("# redis commands: " + string.Join("; ", settings.Depths.Select(d =>
                    RedisBenchmark.CommandLine(redis.Port, "set|get", settings.Requests, settings.Clients, d, settings.ValueBytes, settings.Keys, settings.RedisThreads))));
            }

            ServerReport.WriteSummary(log, _results, settings);
            return 0;
        }
        finally
        {
            redis?.Dispose();
        }

        // Store, then Redis, on the same operation and depth: a pair sees the same minutes of a noisy machine.
        async Task MeasureAsync(int round, int depth, bool set)
        {
            string op = set ? "SET" : "GET";

            // Warm up until the JIT has settled (tiered compilation recompiles hot methods for a second or
            // two under load, in both processes): at least a fifth of the run and at least WarmupSeconds.
            int warmup = Math.Max(settings.Clients * depth, settings.Requests / 5);
            var warming = Stopwatch.StartNew();
            do
            {
                await StoreLoadGenerator.RunAsync(client.Default, keys.Length, value, set, warmup, settings.Clients, depth, seed: 1);
            }
            while (warming.Elapsed.TotalSeconds < settings.WarmupSeconds);

            TimeSpan server = store.CpuTime, generator = CpuClock.OfThisProcess();
            LoadResult ours = await StoreLoadGenerator.RunAsync(client.Default, keys.Length, value, set, settings.Requests, settings.Clients, depth, seed: 2 + round);
            Add(new ServerResult(
                round, "Store", op, depth, ours.OpsPerSecond, ours.P50Us, ours.P99Us, ours.P999Us,
                PerRequest(store.CpuTime - server), PerRequest(CpuClock.OfThisProcess() - generator)));
            if (redis is not null)
            {
                server = redis.CpuTime;
                TimeSpan? children = CpuClock.OfExitedChildren();
                RedisBenchmarkResult theirs = RedisBenchmark.Run(redis.Port, op.ToLowerInvariant(), settings.Requests, settings.Clients, depth, settings.ValueBytes, settings.Keys, settings.RedisThreads);
                Add(new ServerResult(
                    round, "Redis", op, depth, theirs.OpsPerSecond, theirs.P50Us, theirs.P99Us, theirs.P999Us,
                    PerRequest(redis.CpuTime - server), CpuClock.OfExitedChildren() - children is { } benchmark ? PerRequest(benchmark) : double.NaN));
            }
        }
    }

    private double PerRequest(TimeSpan cpu) => cpu.TotalMicroseconds / settings.Requests;

    private void Add(ServerResult result)
    {
        _results.Add(result);
        ServerReport.WriteRow(log, result);
    }
}
