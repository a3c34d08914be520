namespace Store.Tests.Index;

/// <summary>
/// Reference key order of the B-skiplist: lexicographic over unsigned bytes, a proper prefix
/// first ("ab" &lt; "ab\0" &lt; "abc"). Uses the BCL's span comparison (not the engine's), which
/// <see cref="ByteKeyComparerTests"/> pins to exactly this order.
/// </summary>
internal sealed class ByteKeyComparer : IComparer<byte[]>
{
    public static ByteKeyComparer Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => Compare(x.AsSpan(), y.AsSpan());

    public static int Compare(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) => Math.Sign(x.SequenceCompareTo(y));

    public static bool Equal(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y) => x.SequenceEqual(y);
}
