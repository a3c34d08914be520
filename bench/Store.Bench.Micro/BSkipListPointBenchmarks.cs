using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Store.Index;

namespace Store.Bench.Micro;

/// <summary>Single-thread point operations on a loaded B-skiplist: cost per op and allocations.</summary>
[MemoryDiagnoser]
public class BSkipListPointBenchmarks
{
    private const int Keys = 1_000_000;
    private readonly byte[] _key = new byte[8];
    private BSkipList _list = null!;
    private ulong[] _ids = null!;
    private int _next;

    [Params(64, 100, 128)]
    public int NodeCapacity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _ids = new ulong[Keys];
        _list = new BSkipList(new BSkipListOptions { NodeCapacity = NodeCapacity });
        for (int i = 0; i < Keys; i++)
        {
            _ids[i] = (ulong)random.NextInt64();
            BinaryPrimitives.WriteUInt64BigEndian(_key, _ids[i]);
            _list.Set(_key, i);
        }
    }

    [Benchmark]
    public bool Get()
    {
        BinaryPrimitives.WriteUInt64BigEndian(_key, _ids[_next++ % Keys]);
        return _list.TryGetValue(_key, out _);
    }

    [Benchmark]
    public bool Update()
    {
        BinaryPrimitives.WriteUInt64BigEndian(_key, _ids[_next++ % Keys]);
        return _list.Upsert(_key, _next, out _);
    }

    [Benchmark]
    public long Scan100()
    {
        BinaryPrimitives.WriteUInt64BigEndian(_key, _ids[_next++ % Keys]);
        int left = 100;
        return _list.ScanFrom(_key, (_, _) => --left > 0);
    }
}
