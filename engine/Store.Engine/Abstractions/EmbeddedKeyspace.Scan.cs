using System.Runtime.CompilerServices;
using Store.Kv;

namespace Store;

public sealed partial class EmbeddedKeyspace
{
    /// <summary>Entries per engine page: no lock is held between pages, so writers never wait on a slow consumer.</summary>
    private const int PageSize = 256;

    /// <inheritdoc />
    public IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanAsync(ReadOnlyMemory<byte> fromInclusive, ReadOnlyMemory<byte> toExclusive, int limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Pages(fromInclusive.ToArray(), toExclusive.IsEmpty ? null : toExclusive.ToArray(), limit, cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanPrefixAsync(ReadOnlyMemory<byte> prefix, int limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Pages(prefix.ToArray(), PrefixEnd(prefix.Span), limit, cancellationToken);
    }

    /// <summary>The smallest key above every key starting with <paramref name="prefix"/>; null when there is none (empty or all 0xFF).</summary>
    internal static byte[]? PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        int last = prefix.Length - 1;
        while (last >= 0 && prefix[last] == 0xFF)
        {
            last--;
        }

        if (last < 0)
        {
            return null;
        }

        byte[] end = prefix[..(last + 1)].ToArray();
        end[last]++;
        return end;
    }

    private async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> Pages(byte[] from, byte[]? to, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long left = limit == 0 ? long.MaxValue : limit;
        byte[]? cursor = null;
        while (left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ScanPage page = Keyspace.ScanPage(from, to, (int)Math.Min(PageSize, left), cursor);
            foreach (KeyValuePair<byte[], byte[]> item in page.Items)
            {
                yield return item;
            }

            left -= page.Items.Count;
            if (page.NextCursor is null)
            {
                yield break;
            }

            cursor = page.NextCursor;
            await Task.Yield();
        }
    }
}
