using Store.Client.Protocol;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    /// <summary>Answers the first frame: it must be a Hello with a common version and, with auth on, a known token.</summary>
    private StatusCode Handshake(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        if (header.Opcode != Opcode.Hello)
        {
            return WriteError(header, StatusCode.HandshakeRequired,
                $"The first frame on a connection must be Hello (0x01); got opcode 0x{(byte)header.Opcode:X2}. The connection is closed.");
        }

        var reader = new PayloadReader(payload);
        ushort minVersion = reader.ReadUInt16();
        ushort maxVersion = reader.ReadUInt16();
        string token = reader.ReadString();
        _ = reader.ReadBytes(); // client name: accepted, not used
        reader.End();
        if (minVersion > FrameHeader.ProtocolVersion || maxVersion < FrameHeader.ProtocolVersion)
        {
            return WriteError(header, StatusCode.VersionMismatch,
                $"This server speaks protocol version {FrameHeader.ProtocolVersion} only; the client offered {minVersion} to {maxVersion}. The connection is closed.");
        }

        if (_server.Tokens.Count > 0)
        {
            if (token.Length == 0 || !_server.Tokens.TryGetValue(token, out string? tenant))
            {
                return WriteError(header, StatusCode.Unauthorized, token.Length == 0
                    ? "This server requires an access token in Hello; none was given. The connection is closed."
                    : "The access token is not one this server knows. The connection is closed.");
            }

            _tenant = tenant;
        }

        string name = _server.Options.ServerName;
        int size = 2 + PayloadWriter.SizeOf(name) + 4 + 4;
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, size));
        writer.Write(FrameHeader.ProtocolVersion);
        writer.WriteString(name);
        writer.Write((uint)_server.Options.MaxFrameBytes);
        writer.Write((uint)_maxInFlight);
        writer.Complete();
        Account(size);
        _handshaken = true;
        return StatusCode.Ok;
    }
}
