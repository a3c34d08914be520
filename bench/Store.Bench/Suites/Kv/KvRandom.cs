namespace Store.Bench.Suites.Kv;

/// <summary>xorshift64* for choosing keys in the timed loops: a few instructions, no allocation, per thread.</summary>
internal struct KvRandom(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    /// <summary>A uniform integer in [0, <paramref name="bound"/>).</summary>
    public int NextBelow(int bound)
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        ulong value = _state * 0x2545F4914F6CDD1DUL;
        return (int)(((value >> 32) * (ulong)bound) >> 32);
    }
}
