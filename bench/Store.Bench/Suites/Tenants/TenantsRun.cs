using System.Diagnostics;
using System.Globalization;
using Store.Bench.Cli;
using Store.Bench.Reporting;
using Store.Bench.Suites.Ann;
using Store.Vectors;

namespace Store.Bench.Suites.Tenants;

/// <summary>
/// One run of the tenants suite. Each subject, in turn and alone in memory: the first
/// <see cref="WarmUpVectors"/> base vectors go in untimed (then Curator trains its tree on them), the other
/// vectors go in one by one, each insert (add + its grants) timed; memory is the process's RSS growth over
/// the build, measured after handing freed memory back to the OS on both ends (<see cref="ProcessMemory"/>),
/// beside the bytes the structure accounts for. Then every query runs on one thread at each knob value; the
/// point reported for a subject is its cheapest knob value with recall@10 (ties counted) of at least
/// <see cref="RecallTarget"/>, else its best.
/// </summary>
internal sealed class TenantsRun(TenantsSettings settings, ResultLog log)
{
    public const int K = 10;
    public const int WarmUpVectors = 20_000;
    public const double RecallTarget = 0.95;

    /// <summary>Vectors each subject is primed with before any is measured (half before its warm-up step).</summary>
    private const int PrimeVectors = 4_000;

    private static readonly TextTable Table = new(
    [
        new("subject", 14, false), new("knob", 15, false), new("recall@10", 9, true), new("strict", 6, true), new("QPS", 8, true),
        new("p50 us", 8, true), new("p99 us", 8, true), new("bad", 4, true),
    ]);

    public int Run()
    {
        (float[] baseVectors, int count, int dimension, float[] queryVectors) = Load();
        byte[] codes = ToBytes(baseVectors);
        byte[] queryCodes = ToBytes(queryVectors);
        var workload = TenantWorkload.Generate(count, settings.Tenants, settings.Queries, settings.Seed);
        log.Line($"# workload (seed {settings.Seed}): {workload.Describe()}");
        var clock = Stopwatch.StartNew();
        var truth = new TenantTruth(codes, queryCodes, dimension, workload, K);
        log.Line(string.Create(CultureInfo.InvariantCulture, $"# ground truth: exact per-tenant top-{K} by brute force over each query's tenant's vectors (uint8 L2), {clock.Elapsed.TotalSeconds:0.0} s"));

        var outcomes = new List<SubjectOutcome>();
        var makers = new List<(string Name, Func<ITenantSubject> Make)>
        {
            (TenantsSettings.Curator, () => new CuratorTenantSubject(dimension, settings.Tenants)),
            (TenantsSettings.SharedFilter, () => new SharedFilterTenantSubject(dimension)),
            (TenantsSettings.PerTenant, () => new PerTenantSubject(dimension, workload)),
        };
        // Every subject's code runs once on a small part of the data before any is measured, so the one that
        // happens to go first does not carry the process's one-time costs (JIT code, thread-pool threads and
        // their stacks, runtime tables) in its RSS growth and the others ride on them.
        foreach ((string name, Func<ITenantSubject> make) in makers.Where(m => settings.Subjects.Contains(m.Name)))
        {
            Prime(make, workload, baseVectors, codes, queryVectors, dimension);
        }

        foreach ((string name, Func<ITenantSubject> make) in makers.Where(m => settings.Subjects.Contains(m.Name)))
        {
            outcomes.Add(RunSubject(make, workload, truth, baseVectors, codes, queryVectors, dimension));
        }

        Report(outcomes);
        return outcomes.Any(o => o.Violations > 0) ? 1 : 0;
    }

    /// <summary>Builds a throwaway instance on the first <see cref="PrimeVectors"/> vectors (training included) and searches it at every knob.</summary>
    private static void Prime(Func<ITenantSubject> make, TenantWorkload workload, float[] baseVectors, byte[] codes, float[] queries, int dimension)
    {
        using ITenantSubject subject = make();
        int warm = PrimeVectors / 2;
        for (int id = 0; id < PrimeVectors; id++)
        {
            subject.Insert(id, workload.Owners[id], workload.Grants[id], baseVectors.AsSpan(id * dimension, dimension), codes.AsSpan(id * dimension, dimension));
            if (id + 1 == warm)
            {
                subject.AfterWarmUp();
            }
        }

        var ids = new long[K];
        foreach (int knob in subject.KnobValues)
        {
            for (int q = 0; q < 50; q++)
            {
                subject.Search(workload.QueryTenants[q], queries.AsSpan(q * dimension, dimension), knob, ids);
            }
        }
    }

    private SubjectOutcome RunSubject(Func<ITenantSubject> make, TenantWorkload workload, TenantTruth truth, float[] baseVectors, byte[] codes, float[] queries, int dimension)
    {
        ProcessMemory.ReleaseFreed();
        long before = ProcessMemory.ResidentBytes() ?? 0;
        ITenantSubject subject = make();
        int count = workload.Owners.Length;
        var build = Stopwatch.StartNew();
        for (int id = 0; id < WarmUpVectors; id++)
        {
            subject.Insert(id, workload.Owners[id], workload.Grants[id], baseVectors.AsSpan(id * dimension, dimension), codes.AsSpan(id * dimension, dimension));
        }

        double warmSeconds = build.Elapsed.TotalSeconds;
        var train = Stopwatch.StartNew();
        subject.AfterWarmUp();
        double trainSeconds = train.Elapsed.TotalSeconds;
        var inserts = new long[count - WarmUpVectors];
        for (int id = WarmUpVectors; id < count; id++)
        {
            long start = Stopwatch.GetTimestamp();
            subject.Insert(id, workload.Owners[id], workload.Grants[id], baseVectors.AsSpan(id * dimension, dimension), codes.AsSpan(id * dimension, dimension));
            inserts[id - WarmUpVectors] = Stopwatch.GetTimestamp() - start;
        }

        double buildSeconds = build.Elapsed.TotalSeconds;
        ProcessMemory.ReleaseFreed();
        long growth = (ProcessMemory.ResidentBytes() ?? 0) - before;
        long accounted = subject.AccountedBytes;
        log.Line($"# {subject.Name}: {subject.Description}");
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"# {subject.Name}: built in {buildSeconds:0.0} s (warm-up {WarmUpVectors} vectors {warmSeconds:0.0} s, training {trainSeconds:0.00} s); RSS growth {growth / 1e6:0.0} MB, accounted {accounted / 1e6:0.0} MB; " +
            $"insert (add + grants) p50 {Micros(Percentile(inserts, 0.50)):0.0} us, p99 {Micros(Percentile(inserts, 0.99)):0.0} us, mean {Micros((long)inserts.Average()):0.0} us over {inserts.Length}"));
        log.Line(Table.Header());
        log.Line(Table.Rule());

        var ids = new long[K];
        var latencies = new long[truth.Queries];
        for (int q = 0; q < Math.Min(200, truth.Queries); q++)
        {
            subject.Search(workload.QueryTenants[q], queries.AsSpan(q * dimension, dimension), subject.KnobValues[0], ids); // JIT and caches
        }

        var points = new List<SearchPoint>();
        foreach (int knob in subject.KnobValues)
        {
            double strict = 0, ties = 0;
            long violations = 0;
            long total = Stopwatch.GetTimestamp();
            for (int q = 0; q < truth.Queries; q++)
            {
                long start = Stopwatch.GetTimestamp();
                int n = subject.Search(workload.QueryTenants[q], queries.AsSpan(q * dimension, dimension), knob, ids);
                latencies[q] = Stopwatch.GetTimestamp() - start;
                (double s, double t) = truth.Score(q, ids.AsSpan(0, n), ref violations);
                strict += s;
                ties += t;
            }

            double seconds = Stopwatch.GetElapsedTime(total).TotalSeconds;
            var point = new SearchPoint(knob, ties / truth.Queries, strict / truth.Queries, latencies.Sum(l => Micros(l)) / truth.Queries,
                Micros(Percentile(latencies, 0.50)), Micros(Percentile(latencies, 0.99)), truth.Queries / seconds, violations);
            points.Add(point);
            log.Line(Table.Format([subject.Name, $"{subject.Knob}={knob}", F(point.Recall, "0.000"), F(point.Strict, "0.000"), F(point.Qps, "0"), F(point.P50, "0.0"), F(point.P99, "0.0"), point.Violations.ToString(CultureInfo.InvariantCulture)]));
            log.Line($"#   p50 us by tenant size: {BySize(workload, latencies)}");
        }

        SearchPoint chosen = points.FirstOrDefault(p => p.Recall >= RecallTarget) ?? points.MaxBy(p => p.Recall)!;
        string name = subject.Name;
        subject.Dispose();
        return new SubjectOutcome(name, chosen, growth, accounted, Micros(Percentile(inserts, 0.50)), Micros(Percentile(inserts, 0.99)), buildSeconds, points.Sum(p => p.Violations));
    }

    private void Report(List<SubjectOutcome> outcomes)
    {
        var summary = new TextTable(
        [
            new("subject", 14, false), new("knob", 6, true), new("recall@10", 9, true), new("QPS", 8, true), new("mean us", 8, true), new("p50 us", 8, true), new("p99 us", 8, true),
            new("RSS MB", 7, true), new("acct MB", 7, true), new("ins p50 us", 10, true), new("ins p99 us", 10, true), new("build s", 7, true),
        ]);
        log.Line("");
        log.Line($"# summary: each subject at its cheapest knob value reaching recall@10 >= {RecallTarget.ToString(CultureInfo.InvariantCulture)} (ties counted), else its best; 1 search thread");
        log.Line(summary.Header());
        log.Line(summary.Rule());
        foreach (SubjectOutcome o in outcomes)
        {
            log.Line(summary.Format([o.Name, o.Point.Knob.ToString(CultureInfo.InvariantCulture), F(o.Point.Recall, "0.000"), F(o.Point.Qps, "0"), F(o.Point.Mean, "0.0"), F(o.Point.P50, "0.0"), F(o.Point.P99, "0.0"),
                F(o.RssGrowth / 1e6, "0.0"), F(o.Accounted / 1e6, "0.0"), F(o.InsertP50, "0.0"), F(o.InsertP99, "0.0"), F(o.BuildSeconds, "0.0")]));
        }

        long violations = outcomes.Sum(o => o.Violations);
        log.Line($"# isolation: {violations} results over all subjects and knobs were vectors the query's tenant may not access");
        SubjectOutcome? curator = outcomes.SingleOrDefault(o => o.Name == TenantsSettings.Curator);
        SubjectOutcome? shared = outcomes.SingleOrDefault(o => o.Name == TenantsSettings.SharedFilter);
        SubjectOutcome? perTenant = outcomes.SingleOrDefault(o => o.Name == TenantsSettings.PerTenant);
        if (curator is null || shared is null || perTenant is null)
        {
            log.Line("# not every subject ran: no result lines");
            return;
        }

        log.Line($"# targets: latency <= 1.5x per-tenant (latency_vs_per_tenant: mean latency, which this shared machine's stalls inflate; the p50 ratio is printed beside it), memory <= 1.2x shared (RSS growth), recall@10 >= {RecallTarget.ToString(CultureInfo.InvariantCulture)}");
        log.Line($"result tenants.qps.curator {F(curator.Point.Qps, "0")}");
        log.Line($"result tenants.qps.shared_filter {F(shared.Point.Qps, "0")}");
        log.Line($"result tenants.qps.per_tenant {F(perTenant.Point.Qps, "0")}");
        log.Line($"result tenants.insert_p50_us.curator {F(curator.InsertP50, "0.0")}");
        log.Line($"result tenants.insert_p50_us.per_tenant {F(perTenant.InsertP50, "0.0")}");
        log.Line($"result tenants.memory_vs_per_tenant {F((double)curator.RssGrowth / perTenant.RssGrowth, "0.00")}");
        log.Line($"result tenants.latency_vs_shared {F(curator.Point.Mean / shared.Point.Mean, "0.0000")}");
        log.Line($"result tenants.p50_latency_vs_per_tenant {F(curator.Point.P50 / perTenant.Point.P50, "0.00")}");
        log.Line($"result tenants.latency_vs_per_tenant {F(curator.Point.Mean / perTenant.Point.Mean, "0.00")}");
        log.Line($"result tenants.memory_vs_shared {F((double)curator.RssGrowth / shared.RssGrowth, "0.00")}");
        log.Line($"result tenants.recall10 {F(curator.Point.Recall, "0.000")}");
    }

    private (float[] Base, int Count, int Dimension, float[] Queries) Load()
    {
        string train = Path.Combine(settings.DataDirectory, "train-images-idx3-ubyte.gz");
        string test = Path.Combine(settings.DataDirectory, "t10k-images-idx3-ubyte.gz");
        if (!File.Exists(train) || !File.Exists(test))
        {
            throw new UsageException($"fashion-mnist is not in {settings.DataDirectory}: install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data DIR with train-images-idx3-ubyte.gz and t10k-images-idx3-ubyte.gz");
        }

        var clock = Stopwatch.StartNew();
        VectorMatrix data = VectorFileReader.Read(train);
        VectorMatrix queries = VectorFileReader.Read(test, limit: settings.Queries);
        log.Line(string.Create(CultureInfo.InvariantCulture,
            $"# fashion-mnist: {data.Count} base x {data.Dimension} ({train}), {queries.Count} queries ({test}), pixels stored as uint8 (lossless); loaded in {clock.Elapsed.TotalSeconds:0.0} s"));
        return (data.Data, data.Count, data.Dimension, queries.Data);
    }

    private static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i] = checked((byte)values[i]);
        }

        return bytes;
    }

    /// <summary>Median latency of the queries whose tenant sees fewer than 128, 128-999 and at least 1,000 vectors.</summary>
    private static string BySize(TenantWorkload workload, long[] latencies)
    {
        (string Name, int Min, int Max)[] classes = [("<128", 0, 128), ("128-999", 128, 1000), (">=1000", 1000, int.MaxValue)];
        return string.Join(", ", classes.Select(c =>
        {
            long[] picked = [.. latencies.Where((_, q) => workload.Accessible[workload.QueryTenants[q]].Length is var n && n >= c.Min && n < c.Max)];
            return picked.Length == 0 ? $"{c.Name}: none" : $"{c.Name}: {F(Micros(Percentile(picked, 0.5)), "0.0")} ({picked.Length} queries)";
        }));
    }

    private static long Percentile(long[] values, double p)
    {
        long[] sorted = [.. values.Order()];
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static double Micros(long ticks) => ticks * 1e6 / Stopwatch.Frequency;

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record SearchPoint(int Knob, double Recall, double Strict, double Mean, double P50, double P99, double Qps, long Violations);

    private sealed record SubjectOutcome(string Name, SearchPoint Point, long RssGrowth, long Accounted, double InsertP50, double InsertP99, double BuildSeconds, long Violations);
}
