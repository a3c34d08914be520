using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>One point of the sweep, measured for every peer.</summary>
internal sealed record BenchCell(Workload Workload, KeyDistribution Distribution, int KeyBytes, int Threads);
