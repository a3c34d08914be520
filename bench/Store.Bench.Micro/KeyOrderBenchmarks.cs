using BenchmarkDotNet.Attributes;
using Store.Index;

namespace Store.Bench.Micro;

/// <summary>The per-key work every index operation starts with: prefix and height hash.</summary>
[MemoryDiagnoser]
public class KeyOrderBenchmarks
{
    private readonly byte[] _short = [1, 2, 3, 4, 5, 6, 7, 8];
    private readonly byte[] _long = new byte[24];

    [Benchmark]
    public ulong Prefix8() => KeyOrder.Prefix(_short);

    [Benchmark]
    public ulong Hash8() => KeyOrder.Hash(_short);

    [Benchmark]
    public ulong Hash24() => KeyOrder.Hash(_long);
}
