using System.Numerics;
using System.Runtime.CompilerServices;

namespace Store.Vectors;

/// <summary>
/// A Bloom filter of tenant numbers: about 10 bits per tenant it was sized for and 7 probes (about 1%
/// false positives at capacity). It answers "maybe" for every tenant added and, rarely, for others: a
/// false positive only makes a search look into a node in vain, since every result is checked against
/// the access model. Tenants cannot be taken out: the owner rebuilds it from the exact tenant set.
/// </summary>
internal sealed class TenantBloomFilter
{
    private const int Probes = 7;
    private const int BitsPerTenant = 10;

    private ulong[] _words;
    private int _mask;

    public TenantBloomFilter(int capacity)
    {
        (_words, _mask, Capacity) = Allocate(capacity);
    }

    /// <summary>Tenants it holds before the false positive rate climbs past about 1% (then the owner rebuilds it bigger).</summary>
    public int Capacity { get; private set; }

    /// <summary>Tenants added since it was last cleared.</summary>
    public int Added { get; private set; }

    public long MemoryBytes => (_words.Length * sizeof(ulong)) + 32;

    public void Add(int tenant)
    {
        (uint h1, uint h2) = Hash(tenant);
        for (int i = 0; i < Probes; i++)
        {
            int bit = (int)((h1 + ((uint)i * h2)) & (uint)_mask);
            _words[bit >> 6] |= 1UL << bit;
        }

        Added++;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool MayContain(int tenant)
    {
        (uint h1, uint h2) = Hash(tenant);
        ulong[] words = _words;
        int mask = _mask;
        for (int i = 0; i < Probes; i++)
        {
            int bit = (int)((h1 + ((uint)i * h2)) & (uint)mask);
            if ((words[bit >> 6] & (1UL << bit)) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Empties it and sizes it for <paramref name="capacity"/> tenants, then adds <paramref name="tenants"/>.</summary>
    public void Reset(int capacity, IEnumerable<int> tenants)
    {
        ulong[] words;
        (words, _mask, Capacity) = Allocate(capacity);
        Added = 0;
        _words = words;
        foreach (int tenant in tenants)
        {
            Add(tenant);
        }
    }

    private static (ulong[] Words, int Mask, int Capacity) Allocate(int capacity)
    {
        capacity = Math.Max(4, capacity);
        int bits = (int)Math.Max(64, BitOperations.RoundUpToPowerOf2((uint)(capacity * BitsPerTenant)));
        return (new ulong[bits >> 6], bits - 1, bits / BitsPerTenant);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint H1, uint H2) Hash(int tenant)
    {
        // SplitMix64's finaliser; double hashing (Kirsch-Mitzenmacher) from its two halves.
        ulong z = (ulong)(uint)tenant + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((uint)z, (uint)(z >> 32) | 1);
    }
}
