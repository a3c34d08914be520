using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

internal sealed partial class StoreConnection
{
    private StatusCode Get(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        reader.End();
        Keyspace keyspace = KeyspaceOf(header);
        _valueWriter.Reset();
        if (!keyspace.TryGet(key, _valueWriter, out EntryInfo info))
        {
            return WriteEmpty(header, StatusCode.NotFound);
        }

        int frame = _valueWriter.Commit(header, info);
        Account(frame - FrameHeader.Size);
        return StatusCode.Ok;
    }

    private StatusCode Set(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        ReadOnlySpan<byte> value = ReadValue(ref reader);
        TimeSpan? ttl = reader.ReadTtl();
        string categoryName = reader.ReadString();
        byte condition = reader.ReadByte();
        long expectedVersion = reader.ReadInt64();
        reader.End();
        if (condition > (byte)WriteCondition.IfVersion)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"Set's condition must be 0 (none), 1 (if absent), 2 (if present) or 3 (if version), got {condition}.");
        }

        Keyspace keyspace = KeyspaceOf(header);
        var options = new WriteOptions
        {
            Ttl = ttl,
            Category = CategoryOf(keyspace, categoryName),
            Condition = (WriteCondition)condition,
            ExpectedVersion = expectedVersion,
        };
        WriteResult result = keyspace.Set(key, value, options);
        return result.Written ? WriteInt64(header, result.Version) : WriteEmpty(header, StatusCode.ConditionFailed);
    }

    private StatusCode Delete(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        reader.End();
        return WriteFlag(header, KeyspaceOf(header).Delete(key));
    }

    private StatusCode Increment(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        long delta = reader.ReadInt64();
        TimeSpan? ttl = reader.ReadTtl();
        reader.End();
        return WriteInt64(header, KeyspaceOf(header).Increment(key, delta, new WriteOptions { Ttl = ttl }));
    }

    private StatusCode Expire(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        TimeSpan? ttl = reader.ReadTtl();
        reader.End();
        if (ttl is not { } timeToLive)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, "Expire needs a positive ttl; to remove a key's expiry use Persist.");
        }

        return WriteFlag(header, KeyspaceOf(header).Expire(key, timeToLive));
    }

    private StatusCode Persist(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        reader.End();
        return WriteFlag(header, KeyspaceOf(header).Persist(key));
    }

    private StatusCode TimeToLive(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        ReadOnlySpan<byte> key = ReadKey(ref reader);
        reader.End();
        if (!KeyspaceOf(header).TryGetTimeToLive(key, out TimeSpan? ttl))
        {
            return WriteEmpty(header, StatusCode.NotFound);
        }

        return WriteInt64(header, ttl is { } left ? (long)Math.Ceiling(left.TotalMilliseconds) : -1);
    }

    private StatusCode Count(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        new PayloadReader(payload).End();
        return WriteInt64(header, KeyspaceOf(header).Count);
    }

    /// <summary>Reads a key field and checks its length against the database's limit.</summary>
    private ReadOnlySpan<byte> ReadKey(ref PayloadReader reader)
    {
        ReadOnlySpan<byte> key = reader.ReadBytes();
        if (key.IsEmpty || key.Length > _server.MaxKeyLength)
        {
            ThrowBadKey(key.Length);
        }

        return key;
    }

    private ReadOnlySpan<byte> ReadValue(ref PayloadReader reader)
    {
        ReadOnlySpan<byte> value = reader.ReadBytes();
        if (value.Length > _server.MaxValueLength)
        {
            throw new ProtocolException(StatusCode.ValueTooLarge,
                $"Value is {value.Length} bytes; this server accepts values of at most {_server.MaxValueLength} bytes.");
        }

        return value;
    }

    private void ThrowBadKey(int length) => throw (length == 0
        ? new ProtocolException(StatusCode.InvalidArgument, "Keys must not be empty.")
        : new ProtocolException(StatusCode.KeyTooLarge, $"Key is {length} bytes; this server accepts keys of 1 to {_server.MaxKeyLength} bytes."));

    /// <summary>The category a write names (empty: none); an unknown name is InvalidArgument.</summary>
    private static Category? CategoryOf(Keyspace keyspace, string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        return keyspace.TryGetCategory(name, out Category? category)
            ? category
            : throw new ProtocolException(StatusCode.InvalidArgument, $"The keyspace has no category '{name}'; categories are defined by the server's operator.");
    }
}
