using System.Text;
using BenchmarkDotNet.Attributes;
using Store.Kv;

namespace Store.Bench.Micro;

/// <summary>
/// Blind overwrites, the server benchmark's SET in process: 100,000 keys (redis-benchmark's
/// <c>key:%012d</c>) loaded with 16-byte values, then Sets of random loaded keys on one thread.
/// Each Set replaces a record, so it pays the index upsert, the log append and the replaced record's
/// accounting. One database (Batched durability, default segments) per run.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class OverwriteBenchmarks
{
    private const int Keys = 100_000;
    private const int SetsPerInvoke = 100_000;
    private readonly byte[] _value = new byte[16];
    private byte[][] _keys = null!;
    private int[] _order = null!;
    private string _directory = null!;
    private Database _database = null!;
    private Keyspace _keyspace = null!;

    [GlobalSetup]
    public void Setup()
    {
        _keys = [.. Enumerable.Range(0, Keys).Select(i => Encoding.ASCII.GetBytes($"key:{i:D12}"))];
        var random = new Random(1);
        _order = [.. Enumerable.Range(0, SetsPerInvoke).Select(_ => random.Next(Keys))];
        _directory = Path.Combine(Path.GetTempPath(), "store-overwrite-bench-" + Guid.NewGuid().ToString("N"));
        _database = Database.Open(_directory, new DatabaseOptions { CheckpointInterval = TimeSpan.Zero });
        _keyspace = _database.GetOrCreateKeyspace("default");
        foreach (byte[] key in _keys)
        {
            _keyspace.Set(key, _value);
        }
    }

    [Benchmark(OperationsPerInvoke = SetsPerInvoke)]
    public void Overwrite()
    {
        foreach (int k in _order)
        {
            _keyspace.Set(_keys[k], _value);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
