using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// Every <see cref="VectorKernels"/> distance against a scalar reference: all lengths 0..300 (every main-loop,
/// one-vector and masked-tail combination of every width) and a few large ones, misaligned slices, extremes.
/// </summary>
/// <remarks>
/// The kernels pick Vector512, Vector256, Vector128 or scalar by hardware. Run this class with
/// DOTNET_EnableAVX512F=0, DOTNET_EnableAVX2=0 and DOTNET_EnableHWIntrinsic=0 to cover the narrower paths
/// on a wider machine.
/// </remarks>
public sealed partial class VectorKernelTests
{
    /// <summary>
    /// Float results may differ from the double reference by rounding only. Float32's unit roundoff is
    /// u = 2^-24 ~ 6e-8; a lane that adds k terms one after another has a worst-case error of about k*u times
    /// the sum of |terms| and a typical one of about sqrt(k)*u. At the largest length here (65,535) a
    /// 32-lane kernel has k ~ 2,048 (sqrt(k)*u ~ 3e-6) and even the scalar fallback, k ~ 32,768, stays near
    /// 1e-5 only in the worst realistic case; the bound is relative to the sum of |terms| because dot products
    /// cancel, so the result itself can be near zero. A lost term, a wrong lane or a wrong sign is orders of
    /// magnitude larger than this.
    /// </summary>
    private const double RelativeTolerance = 1e-5;

    /// <summary>Float tolerance for a long sum of identical terms, whose rounding errors do not cancel.</summary>
    private const double ConstantTermTolerance = 1e-4;

    private static readonly int[] LargeLengths = [784, 1024, 1536, 4096, VectorKernels.MaxLength];

    private static IEnumerable<int> AllLengths() => Enumerable.Range(0, 301).Concat(LargeLengths);

    [Fact]
    public void Float32_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(101);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            float[] a = RandomFloats(random, n), b = RandomFloats(random, n);
            CheckFloat32(a, b, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void Half_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(102);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            Half[] a = RandomHalves(random, n), b = RandomHalves(random, n);
            CheckHalf(a, b, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void Byte_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(103);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            byte[] a = new byte[n], b = new byte[n];
            random.NextBytes(a);
            random.NextBytes(b);
            CheckByte(a, b, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void SByte_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(104);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            sbyte[] a = RandomSBytes(random, n), b = RandomSBytes(random, n);
            CheckSByte(a, b, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void WeightedSByte_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(105);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            sbyte[] a = RandomSBytes(random, n), b = RandomSBytes(random, n);
            float[] weights = new float[n];
            for (int i = 0; i < n; i++)
            {
                weights[i] = random.NextSingle() * 4;
            }
            CheckWeighted(a, b, weights, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void E4M3_MatchesReference_AtEveryLength()
    {
        int seed = TestMode.Seed(106);
        var random = new Random(seed);
        foreach (int n in AllLengths())
        {
            byte[] a = RandomE4M3(random, n), b = RandomE4M3(random, n);
            CheckE4M3(a, b, $"seed {seed}, n {n}");
        }
    }

    [Fact]
    public void MisalignedSlices_MatchReference()
    {
        int seed = TestMode.Seed(107);
        var random = new Random(seed);
        int[] lengths = [.. Enumerable.Range(0, 80), 127, 128, 129, 255, 784];
        foreach (int n in lengths)
        {
            float[] fa = RandomFloats(random, n + 8), fb = RandomFloats(random, n + 8);
            Half[] ha = RandomHalves(random, n + 8), hb = RandomHalves(random, n + 8);
            byte[] ba = new byte[n + 8], bb = new byte[n + 8];
            random.NextBytes(ba);
            random.NextBytes(bb);
            sbyte[] sa = RandomSBytes(random, n + 8), sb = RandomSBytes(random, n + 8);
            float[] w = RandomFloats(random, n + 8);
            for (int offset = 1; offset <= 7; offset++)
            {
                int other = (offset * 3) % 8; // a different misalignment for the second operand
                string context = $"seed {seed}, n {n}, offsets {offset}/{other}";
                CheckFloat32(fa.AsSpan(offset, n), fb.AsSpan(other, n), context);
                CheckHalf(ha.AsSpan(offset, n), hb.AsSpan(other, n), context);
                CheckByte(ba.AsSpan(offset, n), bb.AsSpan(other, n), context);
                CheckSByte(sa.AsSpan(offset, n), sb.AsSpan(other, n), context);
                CheckWeighted(sa.AsSpan(offset, n), sb.AsSpan(other, n), w.AsSpan(8 - offset, n), context);
                CheckE4M3(ba.AsSpan(offset, n), bb.AsSpan(other, n), context, skipNaN: true);
            }
        }
    }

    [Fact]
    public void ByteExtremes_AreExact()
    {
        foreach (int n in AllLengths())
        {
            byte[] max = Filled<byte>(n, 255), zero = new byte[n];
            Assert.Equal((uint)n * 65025u, VectorKernels.L2Squared(max, zero));
            Assert.Equal((uint)n * 65025u, VectorKernels.L2Squared(zero, max));
            Assert.Equal((uint)n * 65025u, VectorKernels.Dot(max, max));
            Assert.Equal(0u, VectorKernels.Dot(max, zero));
            Assert.Equal(0u, VectorKernels.L2Squared(max, max));
        }
    }

    [Fact]
    public void SByteExtremes_AreExact()
    {
        foreach (int n in AllLengths())
        {
            sbyte[] min = Filled<sbyte>(n, -128), max = Filled<sbyte>(n, 127);
            Assert.Equal((uint)n * 65025u, VectorKernels.L2Squared(min, max));
            Assert.Equal((uint)n * 65025u, VectorKernels.L2Squared(max, min));
            Assert.Equal(n * 16384, VectorKernels.Dot(min, min));
            Assert.Equal(n * -16256, VectorKernels.Dot(min, max));
            Assert.Equal(n * 16129, VectorKernels.Dot(max, max));
            // n identical terms: every add in a lane rounds the same way, so the error grows linearly, not as
            // a random walk (at n = 65,535 about 1.4e-5 relative: each add loses ~1 of 65,025 once a lane's sum
            // passes 2^24 * 65,025 / 2^k). Still far below what a lost or doubled term does at n <= 4,096.
            float[] ones = Filled(n, 1f);
            double expected = n * 65025.0;
            double tolerance = n <= 4096 ? RelativeTolerance : ConstantTermTolerance;
            float actual = VectorKernels.WeightedL2Squared(min, max, ones);
            Assert.True(Math.Abs(actual - expected) <= tolerance * expected, $"weighted, n {n}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void NonFiniteFloats_Propagate_AndMaskedLanesStayClean()
    {
        // Each position in a length that needs a main loop, a single vector and a masked tail at every width.
        foreach (int n in new[] { 5, 13, 45, 77 })
        {
            for (int position = 0; position < n; position++)
            {
                float[] a = Filled(n, 1f), b = Filled(n, 2f);
                a[position] = float.PositiveInfinity;
                Assert.Equal(float.PositiveInfinity, VectorKernels.L2Squared(a, b));
                Assert.Equal(float.PositiveInfinity, VectorKernels.Dot(a, b));
                Assert.Equal(float.PositiveInfinity, VectorKernels.Dot(b, a));
                a[position] = float.NaN;
                Assert.True(float.IsNaN(VectorKernels.L2Squared(a, b)));
                Assert.True(float.IsNaN(VectorKernels.Dot(a, b)));

                Half[] ha = Filled(n, (Half)1), hb = Filled(n, (Half)2);
                ha[position] = Half.PositiveInfinity;
                Assert.Equal(float.PositiveInfinity, VectorKernels.L2Squared(ha, hb));
                Assert.Equal(float.PositiveInfinity, VectorKernels.Dot(ha, hb));
                Assert.Equal(float.PositiveInfinity, VectorKernels.Dot(hb, ha));
                ha[position] = Half.NegativeInfinity;
                Assert.Equal(float.NegativeInfinity, VectorKernels.Dot(hb, ha));
                ha[position] = Half.NaN;
                Assert.True(float.IsNaN(VectorKernels.L2Squared(ha, hb)));
                Assert.True(float.IsNaN(VectorKernels.Dot(ha, hb)));
            }
        }
    }

    [Fact]
    public void MismatchedOrOversizedLengths_Throw()
    {
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new float[3], new float[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new float[40], new float[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new Half[3], new Half[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new Half[40], new Half[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new byte[3], new byte[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new byte[40], new byte[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new sbyte[3], new sbyte[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new sbyte[40], new sbyte[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.WeightedL2Squared(new sbyte[40], new sbyte[39], new float[40]));
        Assert.Throws<ArgumentException>(() => VectorKernels.WeightedL2Squared(new sbyte[40], new sbyte[40], new float[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2SquaredE4M3(new byte[3], new byte[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.DotE4M3(new byte[40], new byte[39]));
        Assert.Throws<ArgumentException>(() => VectorKernels.ToHalf(new float[5], new Half[4]));
        Assert.Throws<ArgumentException>(() => VectorKernels.ToSingle(new Half[5], new float[4]));

        const int TooLong = VectorKernels.MaxLength + 1;
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new float[TooLong], new float[TooLong]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new Half[TooLong], new Half[TooLong]));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(new byte[TooLong], new byte[TooLong]));
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(new sbyte[TooLong], new sbyte[TooLong]));
        Assert.Throws<ArgumentException>(() => VectorKernels.WeightedL2Squared(new sbyte[TooLong], new sbyte[TooLong], new float[TooLong]));
        Assert.Throws<ArgumentException>(() => VectorKernels.DotE4M3(new byte[TooLong], new byte[TooLong]));
    }

    [Fact]
    public void Kernels_DoNotAllocate()
    {
        float[] f = RandomFloats(new Random(1), 784);
        Half[] h = RandomHalves(new Random(2), 784);
        byte[] b = new byte[784];
        sbyte[] s = RandomSBytes(new Random(3), 784);
        float[] floats = new float[784];
        Half[] halves = new Half[784];
        double sink = 0;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                sink += VectorKernels.L2Squared(f, f) + VectorKernels.Dot(f, f);
                sink += VectorKernels.L2Squared(h, h) + VectorKernels.Dot(h, h);
                sink += VectorKernels.L2Squared(b, b) + VectorKernels.Dot(b, b);
                sink += VectorKernels.L2Squared(s, s) + VectorKernels.Dot(s, s);
                sink += VectorKernels.WeightedL2Squared(s, s, f);
                sink += VectorKernels.L2SquaredE4M3(b, b) + VectorKernels.DotE4M3(b, b);
                VectorKernels.ToHalf(f, halves);
                VectorKernels.ToSingle(h, floats);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1) // the first round warms up static tables and tiered compilation
            {
                Assert.Equal(0, allocated);
            }
        }
        Assert.False(double.IsNaN(sink));
    }

    private static void CheckFloat32(ReadOnlySpan<float> a, ReadOnlySpan<float> b, string context)
    {
        double l2 = 0, l2Magnitude = 0, dot = 0, dotMagnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double d = (double)a[i] - b[i];
            l2 += d * d;
            l2Magnitude += d * d;
            double p = (double)a[i] * b[i];
            dot += p;
            dotMagnitude += Math.Abs(p);
        }
        AssertClose(l2, l2Magnitude, VectorKernels.L2Squared(a, b), "float L2, " + context);
        AssertClose(dot, dotMagnitude, VectorKernels.Dot(a, b), "float dot, " + context);
    }

    private static void CheckHalf(ReadOnlySpan<Half> a, ReadOnlySpan<Half> b, string context)
    {
        double l2 = 0, l2Magnitude = 0, dot = 0, dotMagnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double x = (double)(float)a[i], y = (double)(float)b[i];
            l2 += (x - y) * (x - y);
            l2Magnitude += (x - y) * (x - y);
            dot += x * y;
            dotMagnitude += Math.Abs(x * y);
        }
        AssertClose(l2, l2Magnitude, VectorKernels.L2Squared(a, b), "half L2, " + context);
        AssertClose(dot, dotMagnitude, VectorKernels.Dot(a, b), "half dot, " + context);
    }

    private static void CheckByte(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, string context)
    {
        long l2 = 0, dot = 0;
        for (int i = 0; i < a.Length; i++)
        {
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
            dot += a[i] * b[i];
        }
        Assert.True(l2 == VectorKernels.L2Squared(a, b), $"byte L2, {context}: expected {l2}, got {VectorKernels.L2Squared(a, b)}");
        Assert.True(dot == VectorKernels.Dot(a, b), $"byte dot, {context}: expected {dot}, got {VectorKernels.Dot(a, b)}");
    }

    private static void CheckSByte(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, string context)
    {
        long l2 = 0, dot = 0;
        for (int i = 0; i < a.Length; i++)
        {
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
            dot += a[i] * b[i];
        }
        Assert.True(l2 == VectorKernels.L2Squared(a, b), $"sbyte L2, {context}: expected {l2}, got {VectorKernels.L2Squared(a, b)}");
        Assert.True(dot == VectorKernels.Dot(a, b), $"sbyte dot, {context}: expected {dot}, got {VectorKernels.Dot(a, b)}");
    }

    private static void CheckWeighted(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b, ReadOnlySpan<float> weights, string context)
    {
        double sum = 0, magnitude = 0;
        for (int i = 0; i < a.Length; i++)
        {
            double term = (double)weights[i] * (a[i] - b[i]) * (a[i] - b[i]);
            sum += term;
            magnitude += Math.Abs(term);
        }
        AssertClose(sum, magnitude, VectorKernels.WeightedL2Squared(a, b, weights), "weighted L2, " + context);
    }

    private static void CheckE4M3(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, string context, bool skipNaN = false)
    {
        double l2 = 0, l2Magnitude = 0, dot = 0, dotMagnitude = 0;
        bool nan = false;
        for (int i = 0; i < a.Length; i++)
        {
            double x = VectorKernels.FromE4M3(a[i]), y = VectorKernels.FromE4M3(b[i]);
            nan |= double.IsNaN(x) || double.IsNaN(y);
            l2 += (x - y) * (x - y);
            l2Magnitude += (x - y) * (x - y);
            dot += x * y;
            dotMagnitude += Math.Abs(x * y);
        }
        if (nan)
        {
            Assert.True(skipNaN || float.IsNaN(VectorKernels.L2SquaredE4M3(a, b)), context);
            return;
        }
        AssertClose(l2, l2Magnitude, VectorKernels.L2SquaredE4M3(a, b), "E4M3 L2, " + context);
        AssertClose(dot, dotMagnitude, VectorKernels.DotE4M3(a, b), "E4M3 dot, " + context);
    }

    private static void AssertClose(double expected, double magnitude, float actual, string context)
    {
        double tolerance = RelativeTolerance * magnitude;
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail($"{context}: expected {expected} within {tolerance}, got {actual}");
        }
    }

    private static float[] RandomFloats(Random random, int n)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (random.NextSingle() * 2) - 1;
        }
        return values;
    }

    /// <summary>Mostly ordinary halves, with zeros of both signs, subnormals and values near the largest finite.</summary>
    private static Half[] RandomHalves(Random random, int n)
    {
        var values = new Half[n];
        for (int i = 0; i < n; i++)
        {
            int kind = random.Next(20);
            values[i] = kind switch
            {
                0 => BitConverter.UInt16BitsToHalf((ushort)(random.Next(0x400) | (random.Next(2) << 15))), // ±0 or subnormal
                1 => (Half)((random.NextSingle() * 2 - 1) * 60000),
                _ => (Half)((random.NextSingle() * 8) - 4),
            };
        }
        return values;
    }

    private static sbyte[] RandomSBytes(Random random, int n)
    {
        var values = new sbyte[n];
        random.NextBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>Random finite E4M3 codes (the two NaN codes excluded).</summary>
    private static byte[] RandomE4M3(Random random, int n)
    {
        var codes = new byte[n];
        for (int i = 0; i < n; i++)
        {
            int code;
            do
            {
                code = random.Next(256);
            }
            while ((code & 0x7F) == 0x7F);
            codes[i] = (byte)code;
        }
        return codes;
    }

    private static T[] Filled<T>(int n, T value)
    {
        var values = new T[n];
        Array.Fill(values, value);
        return values;
    }
}
