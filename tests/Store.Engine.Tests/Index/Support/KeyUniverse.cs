using System.Buffers.Binary;

namespace Store.Tests.Index;

/// <summary>
/// A fixed, seeded set of distinct keys of one <see cref="KeyShape"/>, with pickers that mix
/// uniform choices and a sequential walker (ascending and descending runs drive splits at one edge).
/// </summary>
internal sealed class KeyUniverse
{
    private static readonly byte[] Alphabet = [0, 1, 2, 255];

    private readonly byte[][] _sorted;
    private int _walker;
    private int _direction = 1;

    private KeyUniverse(SortedSet<byte[]> keys) => _sorted = [.. keys];

    public IReadOnlyList<byte[]> Keys => _sorted;

    public static KeyUniverse Create(KeyShape shape, Random rng) => shape switch
    {
        KeyShape.SmallSpace => new KeyUniverse(SmallSpace(rng)),
        KeyShape.SharedPrefixes => new KeyUniverse(SharedPrefixes(rng)),
        KeyShape.BigEndianNumbers => new KeyUniverse(BigEndianNumbers(rng)),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>A member key: 70% uniform, 30% the next step of a sequential walk.</summary>
    public byte[] Pick(Random rng)
    {
        if (rng.Next(10) >= 3)
        {
            return _sorted[rng.Next(_sorted.Length)];
        }

        if (rng.Next(500) == 0)
        {
            _direction = -_direction;
        }

        _walker += _direction;
        if (_walker < 0 || _walker >= _sorted.Length)
        {
            _direction = -_direction;
            _walker = Math.Clamp(_walker, 0, _sorted.Length - 1);
        }

        return _sorted[_walker];
    }

    /// <summary>A key next to a member (one byte longer, shorter, or bumped); usually not a member itself.</summary>
    public byte[] Probe(Random rng)
    {
        byte[] key = _sorted[rng.Next(_sorted.Length)];
        switch (rng.Next(3))
        {
            case 0:
                return [.. key, (byte)(rng.Next(2) == 0 ? 0 : rng.Next(256))];
            case 1:
                return key.Length == 0 ? [0] : key[..^1];
            default:
                if (key.Length == 0)
                {
                    return [255];
                }

                byte[] bumped = (byte[])key.Clone();
                bumped[^1] = (byte)(bumped[^1] + 1);
                return bumped;
        }
    }

    /// <summary>A range bound: a member, a probe, or occasionally the empty key.</summary>
    public byte[] Bound(Random rng) => rng.Next(20) switch
    {
        0 => [],
        < 6 => Probe(rng),
        _ => _sorted[rng.Next(_sorted.Length)],
    };

    private static SortedSet<byte[]> SmallSpace(Random rng)
    {
        var keys = new SortedSet<byte[]>(ByteKeyComparer.Instance) { Array.Empty<byte>() };
        while (keys.Count < 200)
        {
            var key = new byte[rng.Next(1, 7)];
            rng.NextBytes(key);
            keys.Add(key);
        }

        return keys;
    }

    private static SortedSet<byte[]> SharedPrefixes(Random rng)
    {
        var keys = new SortedSet<byte[]>(ByteKeyComparer.Instance) { Array.Empty<byte>() };
        var generated = new List<byte[]> { Array.Empty<byte>() };
        while (keys.Count < 6000)
        {
            byte[] key;
            if (rng.Next(2) == 0)
            {
                byte[] basis = generated[rng.Next(generated.Count)];
                int prefix = rng.Next(basis.Length + 1);
                key = new byte[rng.Next(prefix, 41)];
                basis.AsSpan(0, prefix).CopyTo(key);
                FillFromAlphabet(rng, key.AsSpan(prefix));
            }
            else
            {
                key = new byte[rng.Next(41)];
                FillFromAlphabet(rng, key);
            }

            if (keys.Add(key))
            {
                generated.Add(key);
            }
        }

        return keys;
    }

    private static SortedSet<byte[]> BigEndianNumbers(Random rng)
    {
        var keys = new SortedSet<byte[]>(ByteKeyComparer.Instance);
        ulong dense = 0x0000_0001_0000_0000UL;
        while (keys.Count < 8000)
        {
            ulong number = rng.Next(4) switch
            {
                0 or 1 => dense++,
                2 => (ulong)rng.NextInt64() ^ ((ulong)rng.Next(2) << 63),
                _ => unchecked((1UL << rng.Next(64)) + (ulong)rng.Next(-3, 4)),
            };
            var key = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(key, number);
            keys.Add(key);
        }

        return keys;
    }

    private static void FillFromAlphabet(Random rng, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Alphabet[rng.Next(Alphabet.Length)];
        }
    }
}
