namespace Store.Bench.Suites.Server;

/// <summary>One row of the server suite's table; <paramref name="Round"/> counts from 1.</summary>
internal sealed record ServerResult(int Round, string Subject, string Operation, int Depth, double OpsPerSecond, double P50Us, double P99Us, double P999Us);
