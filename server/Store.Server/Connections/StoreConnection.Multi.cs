using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    private StatusCode MultiGet(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        uint count = ReadCount(ref reader);
        Keyspace keyspace = KeyspaceOf(header);
        ReplyBuffer reply = _replyBuffer;
        reply.Clear();
        try
        {
            reply.PatchUInt32(reply.Reserve(4), count);
            for (uint i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> key = ReadKey(ref reader);
                int mark = reply.Reserve(5);
                bool found = keyspace.TryGet(key, reply, out EntryInfo info);
                reply.PatchByte(mark, found ? (byte)1 : (byte)0);
                reply.PatchUInt32(mark + 1, found ? (uint)info.ValueLength : 0);
                if (reply.Length > _server.MaxReplyBytes)
                {
                    throw new ProtocolException(StatusCode.InvalidArgument,
                        $"The MultiGet reply would exceed {_server.MaxReplyBytes} bytes; ask for fewer keys per request.");
                }
            }

            reader.End();
            return WriteRaw(header, StatusCode.Ok, reply.WrittenSpan);
        }
        finally
        {
            reply.Clear();
        }
    }

    private StatusCode MultiSet(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        // First pass: the whole payload parses and every key and value is acceptable, so a bad item writes nothing.
        var check = new PayloadReader(payload);
        uint count = ReadCount(ref check, minimumItemBytes: 8);
        for (uint i = 0; i < count; i++)
        {
            ReadKey(ref check);
            ReadValue(ref check);
        }

        TimeSpan? ttl = check.ReadTtl();
        string categoryName = check.ReadString();
        check.End();

        Keyspace keyspace = KeyspaceOf(header);
        var options = new WriteOptions { Ttl = ttl, Category = CategoryOf(keyspace, categoryName) };
        var reader = new PayloadReader(payload);
        reader.ReadUInt32();
        if (_server.Options.DatabaseOptions.Durability == Durability.Always)
        {
            // One shared fsync for the batch instead of one per item.
            var items = new KeyValuePair<byte[], byte[]>[count];
            for (int i = 0; i < items.Length; i++)
            {
                byte[] key = reader.ReadBytes().ToArray();
                items[i] = new(key, reader.ReadBytes().ToArray());
            }

            keyspace.MultiSet(items, options);
        }
        else
        {
            for (uint i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> key = reader.ReadBytes();
                keyspace.Set(key, reader.ReadBytes(), options);
            }
        }

        return WriteEmpty(header, StatusCode.Ok);
    }

    /// <summary>Reads an item count and checks the payload can hold that many items.</summary>
    private static uint ReadCount(ref PayloadReader reader, int minimumItemBytes = 4)
    {
        uint count = reader.ReadUInt32();
        if (count > (uint)(reader.Remaining / minimumItemBytes))
        {
            throw new ProtocolException(StatusCode.BadRequest,
                $"The payload announces {count} items but has only {reader.Remaining} bytes left, too few for them.");
        }

        return count;
    }
}
