namespace Store.Bench.Workloads;

/// <summary>
/// Pre-generated key material in one contiguous buffer (no per-key objects): keys of ordinals
/// [first, first + count), all of one length. Indexing hands out a span, so the timed loops allocate nothing.
/// </summary>
internal sealed class KeySet
{
    private readonly byte[] _bytes;

    private KeySet(byte[] bytes, int keyBytes, int count)
    {
        _bytes = bytes;
        KeyBytes = keyBytes;
        Count = count;
    }

    public int KeyBytes { get; }

    public int Count { get; }

    public ReadOnlySpan<byte> this[int index] => new(_bytes, index * KeyBytes, KeyBytes);

    public static KeySet Generate(int keyBytes, long firstOrdinal, int count)
    {
        var bytes = new byte[(long)keyBytes * count];
        for (int i = 0; i < count; i++)
        {
            KeyEncoding.Write(firstOrdinal + i, bytes.AsSpan(i * keyBytes, keyBytes));
        }

        return new KeySet(bytes, keyBytes, count);
    }
}
