using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Store.Client.Connections;
using Store.Client.Requests;

namespace Store.Client;

public sealed partial class RemoteKeyspace
{
    /// <inheritdoc />
    /// <remarks>The server streams the entries in frames; they are buffered as they come, so a slow consumer holds nothing on the server.</remarks>
    public IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanAsync(ReadOnlyMemory<byte> fromInclusive, ReadOnlyMemory<byte> toExclusive, int limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Stream(new ScanBody(fromInclusive, toExclusive, false, limit), cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<KeyValuePair<byte[], byte[]>> ScanPrefixAsync(ReadOnlyMemory<byte> prefix, int limit = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return Stream(new ScanBody(prefix, ReadOnlyMemory<byte>.Empty, true, limit), cancellationToken);
    }

    private async IAsyncEnumerable<KeyValuePair<byte[], byte[]>> Stream(ScanBody body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamedScan scan = await _client.StartScanAsync(this, body, cancellationToken).ConfigureAwait(false);
        try
        {
            ChannelReader<KeyValuePair<byte[], byte[]>[]> pages = scan.Pages;
            while (await pages.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (pages.TryRead(out KeyValuePair<byte[], byte[]>[]? page))
                {
                    foreach (KeyValuePair<byte[], byte[]> item in page)
                    {
                        yield return item;
                    }
                }
            }
        }
        finally
        {
            scan.Abandon(); // stopped early: later frames are dropped as they come
        }
    }
}
