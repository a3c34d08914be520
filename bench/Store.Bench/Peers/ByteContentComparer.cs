namespace Store.Bench.Peers;

/// <summary>
/// Equality of byte-string keys by content, also for <see cref="ReadOnlySpan{T}"/> lookups, so
/// <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> can be probed
/// without allocating; a key is copied only when it is inserted.
/// </summary>
internal sealed class ByteContentComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static ByteContentComparer Instance { get; } = new();

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y) && (x is null) == (y is null);

    public int GetHashCode(byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode();
    }
}
