using System.Text;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>A frame read off the wire: its header and a copy of its payload.</summary>
internal sealed record Frame(FrameHeader Header, byte[] Payload)
{
    public StatusCode Status => Header.Status;

    public uint RequestId => Header.RequestId;

    public bool More => (Header.Flags & FrameFlags.More) != 0;

    /// <summary>The message of an error reply (a string payload).</summary>
    public string Message
    {
        get
        {
            var reader = new PayloadReader(Payload);
            string text = reader.ReadString();
            reader.End();
            return text;
        }
    }

    public long Int64()
    {
        var reader = new PayloadReader(Payload);
        long value = reader.ReadInt64();
        reader.End();
        return value;
    }

    public bool Flag()
    {
        var reader = new PayloadReader(Payload);
        byte value = reader.ReadByte();
        reader.End();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new InvalidDataException($"flag byte {value}"),
        };
    }

    public uint UInt32()
    {
        var reader = new PayloadReader(Payload);
        uint value = reader.ReadUInt32();
        reader.End();
        return value;
    }

    /// <summary>A Get reply: value, version, expiry.</summary>
    public (byte[] Value, long Version, long ExpiresAtUnixMs) GetReply()
    {
        var reader = new PayloadReader(Payload);
        byte[] value = reader.ReadBytes().ToArray();
        long version = reader.ReadInt64();
        long expires = reader.ReadInt64();
        reader.End();
        return (value, version, expires);
    }

    /// <summary>Entries of a MultiGet reply (null where not found) or of a scan frame.</summary>
    public List<byte[]?> MultiGetReply()
    {
        var reader = new PayloadReader(Payload);
        uint count = reader.ReadUInt32();
        var values = new List<byte[]?>();
        for (uint i = 0; i < count; i++)
        {
            byte found = reader.ReadByte();
            byte[] value = reader.ReadBytes().ToArray();
            values.Add(found == 1 ? value : null);
        }

        reader.End();
        return values;
    }

    public List<(byte[] Key, byte[] Value)> ScanEntries()
    {
        var reader = new PayloadReader(Payload);
        uint count = reader.ReadUInt32();
        var entries = new List<(byte[], byte[])>();
        for (uint i = 0; i < count; i++)
        {
            byte[] key = reader.ReadBytes().ToArray();
            entries.Add((key, reader.ReadBytes().ToArray()));
        }

        reader.End();
        return entries;
    }

    public override string ToString() => $"{Header.Opcode}#{Header.RequestId} {Header.Status} ({Payload.Length} bytes){(Status >= StatusCode.BadRequest ? ": " + Message : string.Empty)}";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
