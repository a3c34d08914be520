using System.Buffers;
using System.Threading.Channels;
using Store.Client.Protocol;

namespace Store.Client.Connections;

/// <summary>
/// A Scan in flight: each reply frame (<c>u32 count, count x (bytes key, bytes value)</c>) becomes a
/// page in <see cref="Pages"/>; the frame without the <c>More</c> flag completes the channel, an error
/// status or a dropped connection completes it with the exception.
/// </summary>
internal sealed class StreamedScan : PendingRequest
{
    private readonly Channel<KeyValuePair<byte[], byte[]>[]> _pages = Channel.CreateUnbounded<KeyValuePair<byte[], byte[]>[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    public StreamedScan(string keyspace, long deadlineMs)
    {
        Keyspace = keyspace;
        DeadlineMs = deadlineMs;
    }

    public ChannelReader<KeyValuePair<byte[], byte[]>[]> Pages => _pages.Reader;

    public override bool OnReply(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        bool last = (header.Flags & FrameFlags.More) == 0;
        if (last)
        {
            ReleaseCancellation();
        }

        if (header.Status != StatusCode.Ok)
        {
            _pages.Writer.TryComplete(StatusErrors.ToException(header.Status, payload, Keyspace));
            Abandon();
            return false;
        }

        try
        {
            byte[] bytes = payload.IsSingleSegment ? [] : payload.ToArray();
            _pages.Writer.TryWrite(Parse(payload.IsSingleSegment ? payload.FirstSpan : bytes));
            if (last)
            {
                _pages.Writer.TryComplete();
            }
        }
        catch (ProtocolException e)
        {
            _pages.Writer.TryComplete(new StoreServerException(StatusCode.BadRequest, $"A Scan reply does not parse ({e.Message}); client and server disagree on the protocol.", e));
            Abandon();
        }

        return false; // the pages channel runs its readers' continuations asynchronously already
    }

    public override void Fail(Exception error)
    {
        ReleaseCancellation();
        _pages.Writer.TryComplete(error);
    }

    /// <summary>Stops waiting for further frames (early exit of the consumer, or an error).</summary>
    public void Abandon()
    {
        if (Connection?.TryAbandon(this) == true)
        {
            ReleaseCancellation();
            _pages.Writer.TryComplete();
        }
    }

    private static KeyValuePair<byte[], byte[]>[] Parse(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        uint count = reader.ReadUInt32();
        if (count > (uint)reader.Remaining / 8)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"a Scan frame announces {count} entries in {reader.Remaining} bytes");
        }

        var items = new KeyValuePair<byte[], byte[]>[count];
        for (int i = 0; i < items.Length; i++)
        {
            byte[] key = reader.ReadBytes().ToArray();
            items[i] = new(key, reader.ReadBytes().ToArray());
        }

        reader.End();
        return items;
    }
}
