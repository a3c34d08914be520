using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Store.Vectors;

namespace Store.Bench.Micro;

/// <summary>
/// One distance between two L1-resident vectors: the hand-written kernels against System.Numerics.Tensors.
/// dotnet run -c Release --project bench/Store.Bench.Micro -- --filter '*VectorKernel*' --job short
/// </summary>
[MemoryDiagnoser]
public class VectorKernelBenchmarks
{
    private float[] _floatA = [], _floatB = [];
    private Half[] _halfA = [], _halfB = [];
    private byte[] _byteA = [], _byteB = [];
    private sbyte[] _sbyteA = [], _sbyteB = [];

    [Params(128, 784, 1536)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _floatA = Floats(random);
        _floatB = Floats(random);
        _halfA = [.. _floatA.Select(v => (Half)v)];
        _halfB = [.. _floatB.Select(v => (Half)v)];
        _byteA = new byte[Dimension];
        _byteB = new byte[Dimension];
        random.NextBytes(_byteA);
        random.NextBytes(_byteB);
        _sbyteA = [.. _byteA.Select(v => (sbyte)v)];
        _sbyteB = [.. _byteB.Select(v => (sbyte)v)];
    }

    [Benchmark]
    public float Float32L2_Hand() => VectorKernels.L2Squared(_floatA, _floatB);

    [Benchmark]
    public float Float32L2_TensorPrimitives()
    {
        float distance = TensorPrimitives.Distance(_floatA, _floatB);
        return distance * distance;
    }

    [Benchmark]
    public float Float32Dot_Hand() => VectorKernels.Dot(_floatA, _floatB);

    [Benchmark]
    public float Float32Dot_TensorPrimitives() => TensorPrimitives.Dot(_floatA, _floatB);

    [Benchmark]
    public float HalfL2_Hand() => VectorKernels.L2Squared(_halfA, _halfB);

    /// <summary>The alternative to converting in registers: TensorPrimitives converts chunks onto the stack.</summary>
    [Benchmark]
    public float HalfL2_TensorPrimitivesChunked()
    {
        const int Chunk = 256;
        Span<float> x = stackalloc float[Chunk], y = stackalloc float[Chunk];
        ReadOnlySpan<Half> a = _halfA, b = _halfB;
        float sum = 0;
        for (int i = 0; i < a.Length; i += Chunk)
        {
            int n = Math.Min(Chunk, a.Length - i);
            TensorPrimitives.ConvertToSingle(a.Slice(i, n), x);
            TensorPrimitives.ConvertToSingle(b.Slice(i, n), y);
            sum += VectorKernels.L2Squared(x[..n], y[..n]);
        }
        return sum;
    }

    [Benchmark]
    public uint ByteL2() => VectorKernels.L2Squared(_byteA, _byteB);

    [Benchmark]
    public int SByteDot() => VectorKernels.Dot(_sbyteA, _sbyteB);

    private float[] Floats(Random random)
    {
        var values = new float[Dimension];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }
        return values;
    }
}
