using System.Text;
using BenchmarkDotNet.Attributes;
using Store.Kv;

namespace Store.Bench.Micro;

/// <summary>
/// One compaction of a log that is mostly garbage: 20,000 keys (redis-benchmark's <c>key:%012d</c>)
/// each written 10 times with 16-byte values into 1 MiB segments, then <see cref="Database.Compact"/>.
/// Every iteration starts from a fresh database in a temporary directory.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 12, invocationCount: 1)]
public class CompactionBenchmarks
{
    private const int Keys = 20_000;
    private const int Writes = 10;
    private readonly byte[] _value = new byte[16];
    private byte[][] _keys = null!;
    private string _directory = null!;
    private Database _database = null!;

    [GlobalSetup]
    public void Setup() =>
        _keys = [.. Enumerable.Range(0, Keys).Select(i => Encoding.ASCII.GetBytes($"key:{i:D12}"))];

    [IterationSetup]
    public void Fill()
    {
        _directory = Path.Combine(Path.GetTempPath(), "store-compaction-bench-" + Guid.NewGuid().ToString("N"));
        _database = Database.Open(_directory, new DatabaseOptions { SegmentSize = 1 << 20, CheckpointInterval = TimeSpan.Zero });
        Keyspace keyspace = _database.GetOrCreateKeyspace("default");
        var random = new Random(1);
        for (int i = 0; i < Keys * Writes; i++)
        {
            keyspace.Set(_keys[random.Next(Keys)], _value);
        }
    }

    [Benchmark]
    public int Compact() => _database.Compact();

    [IterationCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
