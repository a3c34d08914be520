using System.Diagnostics;
using System.Numerics;

namespace Store.Bench.Peers;

/// <summary>Per-thread xorshift64* generator of skiplist node levels, geometric with p = 1/2.</summary>
internal static class LevelRandom
{
    [ThreadStatic]
    private static ulong _state;

    private static long _seedSequence;

    /// <summary>A level in [0, <paramref name="maxLevel"/>] (at most 31) with P(level &gt;= k) = 2^-k.</summary>
    public static int Next(int maxLevel)
    {
        ulong x = _state;
        if (x == 0)
        {
            x = Seed();
        }

        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        _state = x;
        ulong bits = (x * 0x2545F4914F6CDD1DUL) >> 32;
        return BitOperations.TrailingZeroCount(bits | (1UL << maxLevel));
    }

    private static ulong Seed()
    {
        ulong z = ((ulong)Interlocked.Increment(ref _seedSequence) * 0x9E3779B97F4A7C15UL) ^ (ulong)Stopwatch.GetTimestamp();
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return z == 0 ? 1 : z;
    }
}
