using Store.Client.Protocol;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    private StatusCode WriteEmpty(in FrameHeader request, StatusCode status) => WriteRaw(request, status, []);

    private StatusCode WriteRaw(in FrameHeader request, StatusCode status, ReadOnlySpan<byte> payload, FrameFlags flags = FrameFlags.None)
    {
        var writer = new PayloadWriter(_output, ReplyHeader(request, status, payload.Length, flags));
        writer.WriteRaw(payload);
        writer.Complete();
        Account(payload.Length);
        return status;
    }

    private StatusCode WriteInt64(in FrameHeader request, long value)
    {
        var writer = new PayloadWriter(_output, ReplyHeader(request, StatusCode.Ok, 8));
        writer.Write(value);
        writer.Complete();
        Account(8);
        return StatusCode.Ok;
    }

    private StatusCode WriteFlag(in FrameHeader request, bool value)
    {
        var writer = new PayloadWriter(_output, ReplyHeader(request, StatusCode.Ok, 1));
        writer.Write(value ? (byte)1 : (byte)0);
        writer.Complete();
        Account(1);
        return StatusCode.Ok;
    }

    /// <summary>Writes a reply whose payload is a message (a string field) saying what went wrong.</summary>
    private StatusCode WriteError(in FrameHeader request, StatusCode status, string message)
    {
        int size = PayloadWriter.SizeOf(message);
        var writer = new PayloadWriter(_output, ReplyHeader(request, status, size));
        writer.WriteString(message);
        writer.Complete();
        Account(size);
        return status;
    }

    private static FrameHeader ReplyHeader(in FrameHeader request, StatusCode status, int payloadLength, FrameFlags flags = FrameFlags.None) =>
        new((uint)payloadLength, request.RequestId, request.Opcode, flags, status, request.Handle);

    private void Account(int payloadLength)
    {
        _unflushedBytes += FrameHeader.Size + payloadLength;
        _unflushedReplies++;
    }
}
