using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FASTER.core;

namespace Store.Bench.Peers.Faster;

/// <summary>A 16-byte key as FASTER stores it: blittable, inline in the record.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct Key16
{
    public const int Size = 16;

    public ulong High;
    public ulong Low;

    public static Key16 From(ReadOnlySpan<byte> key) =>
        key.Length == Size ? MemoryMarshal.Read<Key16>(key) : throw new ArgumentException($"FASTER keys here are {Size} bytes", nameof(key));
}

/// <summary>A 100-byte value, inline in the record (FASTER's fastest layout: no serializer, no indirection).</summary>
[InlineArray(Size)]
internal struct Value100
{
    public const int Size = 100;

    private byte _element0;

    public static Value100 From(ReadOnlySpan<byte> value) =>
        value.Length == Size ? MemoryMarshal.Read<Value100>(value) : throw new ArgumentException($"FASTER values here are {Size} bytes", nameof(value));
}

/// <summary>Hash and equality of <see cref="Key16"/> for FASTER's hash index.</summary>
internal sealed class Key16Comparer : IFasterEqualityComparer<Key16>
{
    public static Key16Comparer Instance { get; } = new();

    public long GetHashCode64(ref Key16 key)
    {
        ulong z = key.High ^ (key.Low * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)(z ^ (z >> 31));
    }

    public bool Equals(ref Key16 k1, ref Key16 k2) => k1.High == k2.High && k1.Low == k2.Low;
}
