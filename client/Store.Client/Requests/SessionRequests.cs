using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary><c>u16 minVersion, u16 maxVersion, string token, string clientName</c> (Hello).</summary>
internal readonly struct HelloBody(string token, string clientName) : IRequestBody
{
    public int PayloadSize => 2 + 2 + PayloadWriter.SizeOf(token) + PayloadWriter.SizeOf(clientName);

    public void Write(ref PayloadWriter writer)
    {
        writer.Write(FrameHeader.ProtocolVersion);
        writer.Write(FrameHeader.ProtocolVersion);
        writer.WriteString(token);
        writer.WriteString(clientName);
    }
}

/// <summary><c>string name, u8 create</c> (OpenKeyspace).</summary>
internal readonly struct OpenKeyspaceBody(string name, bool create) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(name) + 1;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(name);
        writer.Write(create ? (byte)1 : (byte)0);
    }
}

/// <summary>Raw bytes echoed back (Ping).</summary>
internal readonly struct PingBody(ReadOnlyMemory<byte> payload) : IRequestBody
{
    public int PayloadSize => payload.Length;

    public void Write(ref PayloadWriter writer) => writer.WriteRaw(payload.Span);
}
