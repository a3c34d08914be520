namespace Store.Bench.Workloads;

/// <summary>
/// A YCSB-style operation mix (after index-microbench): Load inserts N keys into an empty structure;
/// A is 50% read / 50% update, B 95/5, C read-only, E 95% scans of 1..100 keys from a chosen key
/// and 5% inserts of new keys.
/// </summary>
internal sealed record Workload(string Name, double Read, double Update, double Scan, double Insert)
{
    public const int MaxScanLength = 100;

    public static Workload Load { get; } = new("Load", 0, 0, 0, 1);

    public static Workload A { get; } = new("A", 0.5, 0.5, 0, 0);

    public static Workload B { get; } = new("B", 0.95, 0.05, 0, 0);

    public static Workload C { get; } = new("C", 1, 0, 0, 0);

    public static Workload E { get; } = new("E", 0, 0, 0.95, 0.05);

    public static IReadOnlyList<Workload> All { get; } = [Load, A, B, C, E];

    public bool IsLoad => ReferenceEquals(this, Load);

    public bool NeedsScan => Scan > 0;

    public bool InsertsFreshKeys => !IsLoad && Insert > 0;
}

/// <summary>How operations pick among the loaded keys.</summary>
internal enum KeyDistribution
{
    Uniform,
    Zipfian,
}
