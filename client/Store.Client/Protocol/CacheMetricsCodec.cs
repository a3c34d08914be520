using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Store.Cache;

namespace Store.Client.Protocol;

/// <summary>
/// The CacheMetrics reply (docs/protocol.md): <c>f64 load, u8 relaxed, u32 n, n x f64 similarity bounds,
/// u32 m, m x f64 latency bounds (µs), u32 categories</c>, then per category <c>string name, 8 x i64
/// (exactHits, semanticHits, misses, staleMisses, bypassed, stores, entries, bytes), u32 r, r x i64
/// removals (by reason, in enum order), u32 n, n x i64 similarity histogram, u32 m, m x i64 latency
/// histogram, policy</c>.
/// </summary>
public static class CacheMetricsCodec
{
    /// <summary>Writes a snapshot.</summary>
    public static void Write(IBufferWriter<byte> output, CacheMetricsSnapshot snapshot)
    {
        Double(output, snapshot.Load.Load);
        Byte(output, snapshot.Load.Relaxed ? (byte)1 : (byte)0);
        Doubles(output, snapshot.SimilarityBucketUpperBounds);
        Doubles(output, snapshot.LatencyBucketUpperBoundsMicroseconds);
        UInt32(output, (uint)snapshot.Categories.Count);
        foreach ((string name, CategoryMetricsSnapshot category) in snapshot.Categories)
        {
            String(output, name);
            foreach (long value in (long[])[category.ExactHits, category.SemanticHits, category.Misses, category.StaleMisses, category.Bypassed, category.Stores, category.Entries, category.Bytes])
            {
                Int64(output, value);
            }

            CacheRemovalReason[] reasons = Enum.GetValues<CacheRemovalReason>();
            UInt32(output, (uint)reasons.Length);
            foreach (CacheRemovalReason reason in reasons)
            {
                Int64(output, category.Removals.TryGetValue(reason, out long n) ? n : 0);
            }

            Longs(output, category.SimilarityHistogram);
            Longs(output, category.LatencyHistogram);
            Policy(output, category.Policy);
        }
    }

    /// <summary>Reads a snapshot.</summary>
    /// <exception cref="ProtocolException">The payload does not parse.</exception>
    public static CacheMetricsSnapshot Read(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var load = new CacheLoadState(reader.ReadDouble(), reader.ReadByte() != 0);
        double[] similarityBounds = ReadDoubles(ref reader);
        double[] latencyBounds = ReadDoubles(ref reader);
        uint count = reader.ReadUInt32();
        var categories = new Dictionary<string, CategoryMetricsSnapshot>(StringComparer.Ordinal);
        for (uint i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            long exact = reader.ReadInt64(), semantic = reader.ReadInt64(), misses = reader.ReadInt64(), stale = reader.ReadInt64();
            long bypassed = reader.ReadInt64(), stores = reader.ReadInt64(), entries = reader.ReadInt64(), bytes = reader.ReadInt64();
            long[] removals = ReadLongs(ref reader);
            var byReason = new Dictionary<CacheRemovalReason, long>();
            for (int r = 0; r < removals.Length; r++)
            {
                byReason[(CacheRemovalReason)r] = removals[r];
            }

            categories[name] = new CategoryMetricsSnapshot
            {
                ExactHits = exact,
                SemanticHits = semantic,
                Misses = misses,
                StaleMisses = stale,
                Bypassed = bypassed,
                Stores = stores,
                Entries = entries,
                Bytes = bytes,
                Removals = byReason,
                SimilarityHistogram = ReadLongs(ref reader),
                LatencyHistogram = ReadLongs(ref reader),
                Policy = reader.ReadPolicy(),
            };
        }

        reader.End();
        return new CacheMetricsSnapshot(categories, load, similarityBounds, latencyBounds);
    }

    private static double[] ReadDoubles(ref PayloadReader reader)
    {
        uint n = reader.ReadUInt32();
        if (n > (uint)reader.Remaining / 8)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"a list announces {n} numbers but only {reader.Remaining} bytes remain");
        }

        var values = new double[n];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadDouble();
        }

        return values;
    }

    private static long[] ReadLongs(ref PayloadReader reader)
    {
        uint n = reader.ReadUInt32();
        if (n > (uint)reader.Remaining / 8)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"a list announces {n} numbers but only {reader.Remaining} bytes remain");
        }

        var values = new long[n];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadInt64();
        }

        return values;
    }

    private static void Doubles(IBufferWriter<byte> output, IReadOnlyList<double> values)
    {
        UInt32(output, (uint)values.Count);
        foreach (double value in values)
        {
            Double(output, value);
        }
    }

    private static void Longs(IBufferWriter<byte> output, IReadOnlyList<long> values)
    {
        UInt32(output, (uint)values.Count);
        foreach (long value in values)
        {
            Int64(output, value);
        }
    }

    /// <summary>The policy fields, in <see cref="CacheCodec.WritePolicy"/>'s layout.</summary>
    private static void Policy(IBufferWriter<byte> output, CachePolicy policy)
    {
        Double(output, policy.Threshold);
        Double(output, policy.MinThreshold);
        Double(output, policy.MaxThreshold);
        Int64(output, CacheCodec.Milliseconds(policy.DefaultTtl));
        Int64(output, CacheCodec.Milliseconds(policy.MaxTtl));
        Int64(output, policy.MaxEntries);
        Int64(output, policy.MaxBytes);
        Byte(output, (byte)policy.Mode);
        Byte(output, (byte)policy.Eviction);
        Byte(output, policy.Strict ? (byte)1 : (byte)0);
    }

    private static void Byte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void UInt32(IBufferWriter<byte> output, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output.GetSpan(4), value);
        output.Advance(4);
    }

    private static void Int64(IBufferWriter<byte> output, long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(8), value);
        output.Advance(8);
    }

    private static void Double(IBufferWriter<byte> output, double value) => Int64(output, BitConverter.DoubleToInt64Bits(value));

    private static void String(IBufferWriter<byte> output, string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        UInt32(output, (uint)n);
        Encoding.UTF8.GetBytes(value, output.GetSpan(n));
        output.Advance(n);
    }
}
