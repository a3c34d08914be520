using Store.Client.Protocol;
using Store.Kv;

namespace Store.Client.Requests;

/// <summary>Get: <c>bytes value, i64 version, i64 expiresAtUnixMs</c>; NotFound: null.</summary>
internal readonly struct GetReply : IReplyParser<StoredValue?>
{
    public static StoredValue? Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        if (status == StatusCode.NotFound)
        {
            return null;
        }

        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        byte[] value = reader.ReadBytes().ToArray();
        long version = reader.ReadInt64();
        long expires = reader.ReadInt64();
        reader.End();
        return new StoredValue(value, version, expires);
    }
}

/// <summary>Set: <c>i64 version</c>; ConditionFailed: empty.</summary>
internal readonly struct SetReply : IReplyParser<WriteResult>
{
    public static WriteResult Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        if (status == StatusCode.ConditionFailed)
        {
            return new WriteResult(WriteStatus.ConditionFailed, 0);
        }

        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        long version = reader.ReadInt64();
        reader.End();
        return new WriteResult(WriteStatus.Written, version);
    }
}

/// <summary><c>u8</c> flag (Delete, Expire, Persist); NotFound counts as false.</summary>
internal readonly struct FlagReply : IReplyParser<bool>
{
    public static bool Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        if (status == StatusCode.NotFound)
        {
            return false;
        }

        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        byte flag = reader.ReadByte();
        reader.End();
        return flag != 0;
    }
}

/// <summary><c>i64</c> (Increment, Count).</summary>
internal readonly struct Int64Reply : IReplyParser<long>
{
    public static long Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        long value = reader.ReadInt64();
        reader.End();
        return value;
    }
}

/// <summary>Empty (MultiSet).</summary>
internal readonly struct EmptyReply : IReplyParser<bool>
{
    public static bool Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        new PayloadReader(payload).End();
        return true;
    }
}

/// <summary>TimeToLive: <c>i64 remainingMs</c> (-1 = no expiry); NotFound: missing.</summary>
internal readonly struct TimeToLiveReply : IReplyParser<TimeToLiveResult>
{
    public static TimeToLiveResult Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        if (status == StatusCode.NotFound)
        {
            return TimeToLiveResult.Missing;
        }

        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        long ms = reader.ReadInt64();
        reader.End();
        return new TimeToLiveResult(true, ms < 0 ? null : TimeSpan.FromMilliseconds(ms));
    }
}

/// <summary>MultiGet: <c>u32 count, count x (u8 found, bytes value)</c>.</summary>
internal readonly struct MultiGetReply : IReplyParser<byte[]?[]>
{
    public static byte[]?[] Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        uint count = reader.ReadUInt32();
        if (count > (uint)reader.Remaining / 5)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"a MultiGet reply announces {count} values in {reader.Remaining} bytes");
        }

        var values = new byte[]?[count];
        for (int i = 0; i < values.Length; i++)
        {
            bool found = reader.ReadByte() != 0;
            ReadOnlySpan<byte> value = reader.ReadBytes();
            values[i] = found ? value.ToArray() : null;
        }

        reader.End();
        return values;
    }
}
