using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary>What the server said in its Hello reply.</summary>
/// <param name="Version">The protocol version the connection speaks.</param>
/// <param name="ServerName">The server's name and version.</param>
/// <param name="MaxFrameBytes">Largest request payload the server accepts.</param>
/// <param name="MaxInFlight">Requests the server reads ahead per connection before it stops reading.</param>
internal sealed record HelloReply(ushort Version, string ServerName, uint MaxFrameBytes, uint MaxInFlight) : IReplyParser<HelloReply>
{
    public static HelloReply Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        var reply = new HelloReply(reader.ReadUInt16(), reader.ReadString(), reader.ReadUInt32(), reader.ReadUInt32());
        reader.End();
        return reply;
    }
}

/// <summary>OpenKeyspace: <c>u32 handle</c>.</summary>
internal readonly struct HandleReply : IReplyParser<uint>
{
    public static uint Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        uint handle = reader.ReadUInt32();
        reader.End();
        return handle;
    }
}

/// <summary>Ping: the echoed payload's length.</summary>
internal readonly struct PingReply : IReplyParser<int>
{
    public static int Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        return payload.Length;
    }
}
