using System.Buffers.Binary;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.Kv;

/// <summary>
/// The key and value material of the kv suite, generated before anything is timed. Key ordinal i is
/// 16 bytes: the big-endian pseudo-random id of <see cref="KeyEncoding.IdOf"/> (a bijection, so keys
/// are unique and ordinal order is random key order), then 8 more bytes derived from it. A value is
/// 100 bytes cut from a seeded random pool at an offset that depends on the key and a version, so
/// values are incompressible and differ between keys and between overwrites.
/// </summary>
internal sealed class KvData
{
    public const int KeyBytes = 16;
    public const int ValueBytes = 100;

    private const int PoolBytes = 1 << 20;
    private const int Seed = 20_240_601;

    private readonly byte[] _keys;
    private readonly byte[] _pool;

    private KvData(byte[] keys, byte[] pool, int count)
    {
        _keys = keys;
        _pool = pool;
        Count = count;
    }

    public int Count { get; }

    public static KvData Generate(int count)
    {
        var keys = new byte[(long)count * KeyBytes];
        for (int i = 0; i < count; i++)
        {
            ulong id = KeyEncoding.IdOf(i);
            var key = keys.AsSpan(i * KeyBytes, KeyBytes);
            BinaryPrimitives.WriteUInt64BigEndian(key, id);
            BinaryPrimitives.WriteUInt64BigEndian(key[8..], (id * 0xD6E8FEB86659FD93UL) ^ 0xA0761D6478BD642FUL);
        }

        var pool = new byte[PoolBytes + ValueBytes];
        new Random(Seed).NextBytes(pool);
        return new KvData(keys, pool, count);
    }

    public ReadOnlySpan<byte> Key(int ordinal) => new(_keys, ordinal * KeyBytes, KeyBytes);

    /// <summary>The value written for key <paramref name="ordinal"/> by write number <paramref name="version"/> (0: the fill).</summary>
    public ReadOnlySpan<byte> Value(int ordinal, long version)
    {
        ulong mixed = KeyEncoding.IdOf(ordinal ^ (version << 32));
        return new ReadOnlySpan<byte>(_pool, (int)(mixed % PoolBytes), ValueBytes);
    }
}
