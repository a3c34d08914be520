using BenchmarkDotNet.Attributes;
using Store.Index;

namespace Store.Bench.Micro;

/// <summary>
/// Point operations on keys that share their first 8 bytes: the server benchmark's 100,000 keys
/// (redis-benchmark's <c>key:%012d</c>, 16 bytes), so every node of the B-skiplist is one run of tied
/// prefixes and a lookup is decided by the second words. Like the server, each operation writes its
/// key's digits into one reused buffer: the cost measured is the index's, not a table of keys' misses.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SharedPrefixBenchmarks
{
    private const int Keys = 100_000;
    private const int OperationsPerInvoke = 100_000;
    private readonly byte[] _key = "key:000000000000"u8.ToArray();
    private BSkipList _list = null!;
    private int[] _order = null!;

    [GlobalSetup]
    public void Setup()
    {
        _list = new BSkipList();
        for (int i = 0; i < Keys; i++)
        {
            WriteDigits(i);
            _list.Set(_key, i);
        }

        var random = new Random(1);
        _order = [.. Enumerable.Range(0, OperationsPerInvoke).Select(_ => random.Next(Keys))];
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public long Get()
    {
        long sum = 0;
        foreach (int k in _order)
        {
            WriteDigits(k);
            _list.TryGetValue(_key, out long value);
            sum += value;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = OperationsPerInvoke)]
    public void Upsert()
    {
        foreach (int k in _order)
        {
            WriteDigits(k);
            _list.Upsert(_key, k, out _);
        }
    }

    /// <summary>Writes <paramref name="index"/> as the key's 12 digits.</summary>
    private void WriteDigits(int index)
    {
        for (int i = _key.Length - 1; i >= 4; i--)
        {
            _key[i] = (byte)('0' + (index % 10));
            index /= 10;
        }
    }
}
