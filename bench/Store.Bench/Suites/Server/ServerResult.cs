namespace Store.Bench.Suites.Server;

/// <summary>
/// One row of the server suite's table; <paramref name="Round"/> counts from 1. <paramref name="ServerCpuUs"/> and
/// <paramref name="GeneratorCpuUs"/> are CPU microseconds per request of the server process and of the load
/// generator over the measured run (NaN where unknown).
/// </summary>
internal sealed record ServerResult(
    int Round, string Subject, string Operation, int Depth, double OpsPerSecond, double P50Us, double P99Us, double P999Us,
    double ServerCpuUs, double GeneratorCpuUs);
