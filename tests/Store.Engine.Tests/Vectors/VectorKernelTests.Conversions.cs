using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>Half and E4M3 conversions.</summary>
public sealed partial class VectorKernelTests
{
    [Fact]
    public void ToSingle_MatchesCast_ForEveryHalf()
    {
        var all = new Half[65536];
        for (int bits = 0; bits < all.Length; bits++)
        {
            all[bits] = BitConverter.UInt16BitsToHalf((ushort)bits);
        }
        var converted = new float[all.Length + 1];
        VectorKernels.ToSingle(all, converted);
        for (int bits = 0; bits < all.Length; bits++)
        {
            float expected = (float)all[bits];
            Assert.True(
                float.IsNaN(expected) ? float.IsNaN(converted[bits]) : BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(converted[bits]),
                $"half 0x{bits:X4}: expected {expected}, got {converted[bits]}");
        }
        Assert.Equal(0f, converted[^1]); // nothing written past the source length
    }

    [Fact]
    public void HalfKernels_ConvertEveryHalfExactly_InEveryLane()
    {
        // Length 40 puts lanes in the main loop (both interleave halves of each block) and in the masked
        // tail at every width. Squaring one value against zeros, or multiplying it by one, is exact.
        const int Length = 40;
        var x = new Half[Length];
        var zeros = new Half[Length];
        var ones = Enumerable.Repeat((Half)1, Length).ToArray();
        for (int bits = 0; bits < 65536; bits++)
        {
            Half h = BitConverter.UInt16BitsToHalf((ushort)bits);
            float value = (float)h;
            for (int lane = 0; lane < Length; lane++)
            {
                x[lane] = h;
                float square = VectorKernels.L2Squared(x, zeros), product = VectorKernels.Dot(x, ones);
                x[lane] = default;
                bool ok = float.IsNaN(value)
                    ? float.IsNaN(square) && float.IsNaN(product)
                    : square == value * value && product == value;
                if (!ok)
                {
                    Assert.Fail($"half 0x{bits:X4} ({value}) in lane {lane}: square {square}, product {product}");
                }
            }
        }
    }

    [Fact]
    public void ToHalf_MatchesCast()
    {
        int seed = TestMode.Seed(108);
        var random = new Random(seed);
        foreach (int n in Enumerable.Range(0, 100).Concat([4096]))
        {
            var source = new float[n];
            for (int i = 0; i < n; i++)
            {
                // Random bit patterns cover every exponent, NaNs and infinities; every third is a plain value.
                source[i] = i % 3 == 0 ? (random.NextSingle() * 2) - 1 : BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32));
            }
            var destination = new Half[n];
            VectorKernels.ToHalf(source, destination);
            for (int i = 0; i < n; i++)
            {
                Half expected = (Half)source[i];
                Assert.True(
                    Half.IsNaN(expected) ? Half.IsNaN(destination[i]) : BitConverter.HalfToUInt16Bits(expected) == BitConverter.HalfToUInt16Bits(destination[i]),
                    $"seed {seed}: {source[i]:R} -> expected {expected}, got {destination[i]}");
            }
        }
    }

    [Fact]
    public void E4M3_DecodesKnownValues()
    {
        Assert.Equal(0f, VectorKernels.FromE4M3(0x00));
        Assert.True(float.IsNegative(VectorKernels.FromE4M3(0x80)) && VectorKernels.FromE4M3(0x80) == 0);
        Assert.Equal(MathF.Pow(2, -9), VectorKernels.FromE4M3(0x01));       // smallest subnormal
        Assert.Equal(7 * MathF.Pow(2, -9), VectorKernels.FromE4M3(0x07));   // largest subnormal
        Assert.Equal(MathF.Pow(2, -6), VectorKernels.FromE4M3(0x08));       // smallest normal
        Assert.Equal(1f, VectorKernels.FromE4M3(0x38));
        Assert.Equal(-1.125f, VectorKernels.FromE4M3(0xB9));
        Assert.Equal(448f, VectorKernels.FromE4M3(0x7E));
        Assert.Equal(-448f, VectorKernels.FromE4M3(0xFE));
        Assert.True(float.IsNaN(VectorKernels.FromE4M3(0x7F)));
        Assert.True(float.IsNaN(VectorKernels.FromE4M3(0xFF)));
    }

    [Fact]
    public void E4M3_AllCodesRoundTrip()
    {
        for (int code = 0; code < 256; code++)
        {
            float value = VectorKernels.FromE4M3((byte)code);
            byte expected = (code & 0x7F) == 0x7F ? (byte)0x7F : (byte)code;
            Assert.True(expected == VectorKernels.ToE4M3(value), $"code 0x{code:X2} ({value}) -> 0x{VectorKernels.ToE4M3(value):X2}");
        }
    }

    [Fact]
    public void E4M3_RoundsToNearestEven_AndSaturates()
    {
        (float Value, byte Code)[] cases =
        [
            (float.NaN, 0x7F),
            (float.PositiveInfinity, 0x7E),
            (float.NegativeInfinity, 0xFE),
            (448f, 0x7E),
            (449f, 0x7E),
            (464f, 0x7E),      // the midpoint to the (NaN) next code still saturates
            (1e30f, 0x7E),
            (-1e30f, 0xFE),
            (float.MaxValue, 0x7E),
            (432f, 0x7E),      // midpoint of 416 (0x7D, odd) and 448 (0x7E, even): to even
            (424f, 0x7D),
            (1.0625f, 0x38),   // midpoint of 1 (0x38) and 1.125 (0x39): to even
            (1.1875f, 0x3A),   // midpoint of 1.125 (0x39) and 1.25 (0x3A): to even
            (-1.1875f, 0xBA),
            (MathF.Pow(2, -10), 0x00),          // half the smallest subnormal: ties to even zero
            (MathF.BitIncrement(MathF.Pow(2, -10)), 0x01),
            (3 * MathF.Pow(2, -10), 0x02),      // 1.5 subnormal steps: ties to even 2
            (15 * MathF.Pow(2, -10), 0x08),     // between the largest subnormal and the smallest normal: to even 0x08
            (MathF.Pow(2, -20), 0x00),
            (-MathF.Pow(2, -20), 0x80),
            (float.Epsilon, 0x00),
            (-0f, 0x80),
        ];
        foreach ((float value, byte code) in cases)
        {
            Assert.True(code == VectorKernels.ToE4M3(value), $"{value:R}: expected 0x{code:X2}, got 0x{VectorKernels.ToE4M3(value):X2}");
        }
    }

    [Fact]
    public void E4M3_EncodeMatchesNearestCodeOracle()
    {
        // Oracle: the nearest of the 127 non-negative finite codes by exhaustive search, ties to the even code,
        // anything above 448 saturating; the sign bit copied from the input.
        float[] values = [.. Enumerable.Range(0, 0x7F).Select(c => VectorKernels.FromE4M3((byte)c))];
        byte Oracle(float x)
        {
            double magnitude = Math.Abs((double)x);
            int best = 0;
            for (int c = 1; c < values.Length; c++)
            {
                double distance = Math.Abs(values[c] - magnitude), bestDistance = Math.Abs(values[best] - magnitude);
                if (distance < bestDistance || (distance == bestDistance && (c & 1) == 0))
                {
                    best = c;
                }
            }
            return (byte)(best | (float.IsNegative(x) ? 0x80 : 0));
        }

        var inputs = new List<float>();
        for (int c = 0; c + 1 < values.Length; c++)
        {
            float middle = (values[c] + values[c + 1]) / 2; // exact: both have few significant bits
            inputs.AddRange([middle, MathF.BitIncrement(middle), MathF.BitDecrement(middle), values[c]]);
        }
        int seed = TestMode.Seed(109);
        var random = new Random(seed);
        for (int i = 0; i < 100_000; i++)
        {
            inputs.Add(MathF.Pow(2, (random.NextSingle() * 24) - 14) * (random.NextSingle() + 1) * (random.Next(2) == 0 ? 1 : -1));
        }
        foreach (float x in inputs)
        {
            Assert.True(Oracle(x) == VectorKernels.ToE4M3(x), $"seed {seed}, {x:R}: oracle 0x{Oracle(x):X2}, got 0x{VectorKernels.ToE4M3(x):X2}");
        }
    }
}
