using System.Globalization;
using Store.Bench.Peers.Ann;

namespace Store.Bench.Peers.Redis;

/// <summary>One redis-benchmark run of one test (GET or SET): throughput and latency percentiles from its full output.</summary>
/// <param name="OpsPerSecond">The "throughput summary" line.</param>
/// <param name="P50Us">50th percentile latency, microseconds.</param>
/// <param name="P99Us">99th percentile latency, microseconds.</param>
/// <param name="P999Us">99.9th percentile latency, microseconds.</param>
internal sealed record RedisBenchmarkResult(double OpsPerSecond, double P50Us, double P99Us, double P999Us);

/// <summary>
/// Runs <c>redis-benchmark -p PORT -t TEST -n N -c CLIENTS -P DEPTH -d 16 -r KEYS</c> and parses the
/// "Latency by percentile distribution" lines (<c>P% &lt;= X milliseconds</c>) and the throughput summary
/// of Redis 7's full output.
/// </summary>
internal static class RedisBenchmark
{
    public static RedisBenchmarkResult Run(int port, string test, int requests, int clients, int depth, int valueBytes, int keys, int threads = 0)
    {
        var lines = new List<string>();
        string[] arguments =
        [
            "-p", Text(port), "-t", test, "-n", Text(requests), "-c", Text(clients), "-P", Text(depth),
            "-d", Text(valueBytes), "-r", Text(keys), .. threads > 0 ? ["--threads", Text(threads)] : Array.Empty<string>(),
        ];
        int code = PeerProcess.Run(RedisPrerequisites.BenchmarkBinary, arguments, line => lines.AddRange(line.Split('\r')));
        if (code != 0)
        {
            throw new InvalidOperationException($"redis-benchmark exited {code}: {string.Join(" | ", lines.TakeLast(5))}");
        }

        return Parse(lines);
    }

    public static string CommandLine(int port, string tests, int requests, int clients, int depth, int valueBytes, int keys, int threads = 0) =>
        $"redis-benchmark -p {port} -t {tests} -n {requests} -c {clients} -P {depth} -d {valueBytes} -r {keys}{(threads > 0 ? $" --threads {threads}" : "")}";

    internal static RedisBenchmarkResult Parse(IReadOnlyList<string> lines)
    {
        var percentiles = new List<(double Percent, double Ms)>();
        double? throughput = null;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.StartsWith("throughput summary:", StringComparison.Ordinal))
            {
                throughput = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
                continue;
            }

            // "99.902% <= 1.079 milliseconds (cumulative count 20000)"
            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 4 && parts[0].EndsWith('%') && parts[1] == "<=" && parts[3] == "milliseconds"
                && double.TryParse(parts[0].TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double percent)
                && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double ms))
            {
                percentiles.Add((percent, ms));
            }
        }

        if (throughput is null || percentiles.Count == 0)
        {
            throw new FormatException($"redis-benchmark output has no throughput summary or percentile lines (is it Redis 7?): {string.Join(" | ", lines.Take(10))}");
        }

        // Only the "Latency by percentile distribution" block has percents that are not multiples of
        // whole buckets; the cumulative block comes after it, so stop at the first 100%.
        int end = percentiles.FindIndex(p => p.Percent >= 100);
        var distribution = end >= 0 ? percentiles.Take(end + 1).ToList() : percentiles;
        return new RedisBenchmarkResult(throughput.Value, At(distribution, 50), At(distribution, 99), At(distribution, 99.9));
    }

    private static double At(List<(double Percent, double Ms)> distribution, double percent) =>
        distribution.First(p => p.Percent >= percent || p == distribution[^1]).Ms * 1000;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
