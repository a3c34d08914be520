using Store.Cache;
using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary><c>string cache</c> (CacheOpen, CacheMetrics).</summary>
internal readonly struct CacheNameBody(string cache) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache);

    public void Write(ref PayloadWriter writer) => writer.WriteString(cache);
}

/// <summary><c>string cache, partition, string category, string prompt, vector, f64 minSimilarity (NaN: none)</c> (CacheLookup).</summary>
internal readonly struct CacheLookupBody(string cache, in CacheQuery query) : IRequestBody
{
    private readonly CacheQuery _query = query;

    public int PayloadSize => PayloadWriter.SizeOf(cache) + CacheCodec.SizeOf(_query.Partition) + PayloadWriter.SizeOf(_query.Category)
        + PayloadWriter.SizeOf(_query.Prompt) + CacheCodec.SizeOfVector(_query.Vector.Length) + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WritePartition(_query.Partition);
        writer.WriteString(_query.Category);
        writer.WriteString(_query.Prompt);
        writer.WriteVector(_query.Vector.Span);
        writer.WriteDouble(_query.MinSimilarity ?? double.NaN);
    }
}

/// <summary><c>string cache, partition, string category, string prompt, vector, bytes response, bytes metadata, ttl</c> (CacheStore).</summary>
internal readonly struct CacheStoreBody(string cache, in CacheWrite write) : IRequestBody
{
    private readonly CacheWrite _write = write;

    public int PayloadSize => PayloadWriter.SizeOf(cache) + CacheCodec.SizeOf(_write.Partition) + PayloadWriter.SizeOf(_write.Category)
        + PayloadWriter.SizeOf(_write.Prompt) + CacheCodec.SizeOfVector(_write.Vector.Length)
        + PayloadWriter.SizeOf(_write.Response.Length) + PayloadWriter.SizeOf(_write.Metadata.Length) + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WritePartition(_write.Partition);
        writer.WriteString(_write.Category);
        writer.WriteString(_write.Prompt);
        writer.WriteVector(_write.Vector.Span);
        writer.WriteBytes(_write.Response.Span);
        writer.WriteBytes(_write.Metadata.Span);
        writer.WriteTtl(_write.Ttl);
    }
}

/// <summary><c>string cache, i64 entryId, u8 scoped, [partition]</c> (CacheInvalidate).</summary>
internal readonly struct CacheInvalidateBody(string cache, long entryId, CachePartition? partition) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache) + 8 + 1 + (partition is null ? 0 : CacheCodec.SizeOf(partition));

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.Write(entryId);
        writer.Write(partition is null ? (byte)0 : (byte)1);
        if (partition is not null)
        {
            writer.WritePartition(partition);
        }
    }
}

/// <summary><c>string cache, partition</c> (CacheInvalidatePartition).</summary>
internal readonly struct CachePartitionBody(string cache, CachePartition partition) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache) + CacheCodec.SizeOf(partition);

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WritePartition(partition);
    }
}

/// <summary><c>string cache, string category</c> (CacheInvalidateCategory, CacheGetPolicy).</summary>
internal readonly struct CacheCategoryBody(string cache, string category) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache) + PayloadWriter.SizeOf(category);

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WriteString(category);
    }
}

/// <summary><c>string cache, string category, policy</c> (CacheSetPolicy).</summary>
internal readonly struct CacheSetPolicyBody(string cache, string category, CachePolicy policy) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache) + PayloadWriter.SizeOf(category) + CacheCodec.PolicySize;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WriteString(category);
        writer.WritePolicy(policy);
    }
}

/// <summary><c>string cache, f64 load</c> (CacheReportLoad).</summary>
internal readonly struct CacheLoadBody(string cache, double load) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(cache) + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteString(cache);
        writer.WriteDouble(load);
    }
}
