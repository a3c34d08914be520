namespace Store.Bench.Suites.Server;

/// <summary>One row of the server suite's table.</summary>
internal sealed record ServerResult(string Subject, string Operation, int Depth, double OpsPerSecond, double P50Us, double P99Us, double P999Us);
