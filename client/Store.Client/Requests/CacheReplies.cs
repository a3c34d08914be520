using Store.Cache;
using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary>CacheLookup: <c>u8 status, string category, i64 entryId, bytes response, bytes metadata, f64 similarity, f64 nearestMiss, f64 threshold, i64 ageMs</c>.</summary>
internal readonly struct CacheLookupReply : IReplyParser<CacheLookupResult>
{
    public static CacheLookupResult Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        byte outcome = reader.ReadByte();
        if (outcome > (byte)CacheLookupStatus.Bypassed)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"the server answered a lookup with outcome {outcome}, which this client does not know");
        }

        var result = new CacheLookupResult
        {
            Status = (CacheLookupStatus)outcome,
            Category = reader.ReadString(),
            EntryId = reader.ReadInt64(),
            Response = Copy(reader.ReadBytes()),
            Metadata = Copy(reader.ReadBytes()),
            Similarity = reader.ReadDouble(),
            NearestMissSimilarity = reader.ReadDouble(),
            Threshold = reader.ReadDouble(),
            Age = TimeSpan.FromMilliseconds(reader.ReadInt64()),
        };
        reader.End();
        return result;
    }

    private static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? ReadOnlyMemory<byte>.Empty : bytes.ToArray();
}

/// <summary>CacheStore: <c>u8 stored, i64 entryId, i64 ttlMs</c>.</summary>
internal readonly struct CacheStoreReply : IReplyParser<CacheStoreResult>
{
    public static CacheStoreResult Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        var result = new CacheStoreResult(reader.ReadByte() != 0, reader.ReadInt64(), TimeSpan.FromMilliseconds(reader.ReadInt64()));
        reader.End();
        return result;
    }
}

/// <summary>CacheOpen: <c>u32 dimension</c>.</summary>
internal readonly struct CacheDimensionReply : IReplyParser<int>
{
    public static int Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        uint dimension = reader.ReadUInt32();
        reader.End();
        return checked((int)dimension);
    }
}

/// <summary>CacheGetPolicy: the policy fields.</summary>
internal readonly struct CachePolicyReply : IReplyParser<CachePolicy>
{
    public static CachePolicy Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        CachePolicy policy = reader.ReadPolicy();
        reader.End();
        return policy;
    }
}

/// <summary>CacheReportLoad: <c>f64 load, u8 relaxed</c>.</summary>
internal readonly struct CacheLoadReply : IReplyParser<CacheLoadState>
{
    public static CacheLoadState Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        var reader = new PayloadReader(payload);
        var state = new CacheLoadState(reader.ReadDouble(), reader.ReadByte() != 0);
        reader.End();
        return state;
    }
}

/// <summary>CacheMetrics: see <see cref="CacheMetricsCodec"/>.</summary>
internal readonly struct CacheMetricsReply : IReplyParser<CacheMetricsSnapshot>
{
    public static CacheMetricsSnapshot Parse(StatusCode status, ReadOnlySpan<byte> payload)
    {
        ReplyCheck.Ok(status);
        return CacheMetricsCodec.Read(payload);
    }
}
