using System.Buffers;
using Store.Cache;
using Store.Client.Protocol;

namespace Store.Server;

/// <summary>The semantic-cache operations (0x40..0x49, docs/protocol.md): run inline like KV operations (the embedded cache is synchronous).</summary>
internal sealed partial class StoreConnection
{
    private float[] _cacheVector = [];

    private StatusCode ExecuteCache(in FrameHeader header, ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        SemanticCache cache = _server.Caches.Get(reader.ReadString());
        return header.Opcode switch
        {
            Opcode.CacheOpen => CacheOpen(header, ref reader, cache),
            Opcode.CacheLookup => CacheLookup(header, ref reader, cache),
            Opcode.CacheStore => CacheStore(header, ref reader, cache),
            Opcode.CacheInvalidate => CacheInvalidate(header, ref reader, cache),
            Opcode.CacheInvalidatePartition => CacheInvalidatePartition(header, ref reader, cache),
            Opcode.CacheInvalidateCategory => CacheInvalidateCategory(header, ref reader, cache),
            Opcode.CacheSetPolicy => CacheSetPolicy(header, ref reader, cache),
            Opcode.CacheGetPolicy => CacheGetPolicy(header, ref reader, cache),
            Opcode.CacheReportLoad => CacheReportLoad(header, ref reader, cache),
            _ => CacheMetrics(header, ref reader, cache),
        };
    }

    private StatusCode CacheOpen(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        reader.End();
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, 4));
        writer.Write((uint)cache.Dimension);
        writer.Complete();
        Account(4);
        return StatusCode.Ok;
    }

    private StatusCode CacheLookup(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        PartitionFields fields = reader.ReadPartition();
        string category = reader.ReadString();
        string prompt = reader.ReadString();
        ReadOnlyMemory<float> vector = ReadCacheVector(ref reader, cache);
        double minSimilarity = reader.ReadDouble();
        reader.End();
        double? threshold = double.IsNaN(minSimilarity) ? null : minSimilarity;
        CacheAccess.CheckThreshold(threshold);
        CachePartition partition = _server.CacheAccess.Partition(_tenant, fields);
        CacheLookupResult result = cache.Lookup(new CacheQuery(partition, category, prompt, vector) { MinSimilarity = threshold });

        int size = 1 + PayloadWriter.SizeOf(result.Category) + 8 + PayloadWriter.SizeOf(result.Response.Length) + PayloadWriter.SizeOf(result.Metadata.Length) + (8 * 3) + 8;
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, size));
        writer.Write((byte)result.Status);
        writer.WriteString(result.Category);
        writer.Write(result.EntryId);
        writer.WriteBytes(result.Response.Span);
        writer.WriteBytes(result.Metadata.Span);
        writer.WriteDouble(result.Similarity);
        writer.WriteDouble(result.NearestMissSimilarity);
        writer.WriteDouble(result.Threshold);
        writer.Write(CacheCodec.Milliseconds(result.Age));
        writer.Complete();
        Account(size);
        return StatusCode.Ok;
    }

    private StatusCode CacheStore(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        PartitionFields fields = reader.ReadPartition();
        string category = reader.ReadString();
        string prompt = reader.ReadString();
        ReadOnlyMemory<float> vector = ReadCacheVector(ref reader, cache);
        ReadOnlySpan<byte> response = reader.ReadBytes();
        ReadOnlySpan<byte> metadata = reader.ReadBytes();
        TimeSpan? ttl = reader.ReadTtl();
        reader.End();
        if (response.Length + metadata.Length > _server.MaxValueLength)
        {
            throw new ProtocolException(StatusCode.ValueTooLarge,
                $"Response and metadata take {response.Length + metadata.Length} bytes; this server stores at most {_server.MaxValueLength} per entry.");
        }

        CachePartition partition = _server.CacheAccess.Partition(_tenant, fields);

        // The write takes memory, the payload is a span: one pooled copy, returned once the store wrote its records.
        byte[] copy = ArrayPool<byte>.Shared.Rent(response.Length + metadata.Length);
        CacheStoreResult result;
        try
        {
            response.CopyTo(copy);
            metadata.CopyTo(copy.AsSpan(response.Length));
            var write = new CacheWrite(partition, category, prompt, vector, copy.AsMemory(0, response.Length))
            {
                Metadata = copy.AsMemory(response.Length, metadata.Length),
                Ttl = ttl,
            };
            result = cache.Store(write);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }

        const int Size = 1 + 8 + 8;
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, Size));
        writer.Write(result.Stored ? (byte)1 : (byte)0);
        writer.Write(result.EntryId);
        writer.Write(CacheCodec.Milliseconds(result.Ttl));
        writer.Complete();
        Account(Size);
        return StatusCode.Ok;
    }

    private StatusCode CacheInvalidate(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        long id = reader.ReadInt64();
        bool scoped = reader.ReadByte() != 0;
        PartitionFields fields = scoped ? reader.ReadPartition() : default;
        reader.End();
        bool removed;
        if (scoped)
        {
            removed = cache.Invalidate(id, _server.CacheAccess.Partition(_tenant, fields));
        }
        else
        {
            _server.CacheAccess.RequireOperator(_tenant, "Invalidating an entry by id without its partition");
            removed = cache.Invalidate(id);
        }

        return WriteFlag(header, removed);
    }

    private StatusCode CacheInvalidatePartition(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        PartitionFields fields = reader.ReadPartition();
        reader.End();
        return WriteInt64(header, cache.InvalidatePartition(_server.CacheAccess.Partition(_tenant, fields)));
    }

    private StatusCode CacheInvalidateCategory(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        string category = reader.ReadString();
        reader.End();
        _server.CacheAccess.RequireOperator(_tenant, "Invalidating a category");
        return WriteInt64(header, cache.InvalidateCategory(category));
    }

    private StatusCode CacheSetPolicy(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        string category = reader.ReadString();
        CachePolicy policy = reader.ReadPolicy();
        reader.End();
        _server.CacheAccess.RequireOperator(_tenant, "Setting a category's policy");
        cache.SetPolicy(category, policy);
        return WriteEmpty(header, StatusCode.Ok);
    }

    private StatusCode CacheGetPolicy(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        string category = reader.ReadString();
        reader.End();
        CachePolicy policy = cache.GetPolicy(category);
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, CacheCodec.PolicySize));
        writer.WritePolicy(policy);
        writer.Complete();
        Account(CacheCodec.PolicySize);
        return StatusCode.Ok;
    }

    private StatusCode CacheReportLoad(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        double load = reader.ReadDouble();
        reader.End();
        CacheAccess.CheckLoad(load);
        _server.CacheAccess.RequireOperator(_tenant, "Reporting the downstream load");
        CacheLoadState state = cache.ReportLoad(load);
        var writer = new PayloadWriter(_output, ReplyHeader(header, StatusCode.Ok, 9));
        writer.WriteDouble(state.Load);
        writer.Write(state.Relaxed ? (byte)1 : (byte)0);
        writer.Complete();
        Account(9);
        return StatusCode.Ok;
    }

    private StatusCode CacheMetrics(in FrameHeader header, ref PayloadReader reader, SemanticCache cache)
    {
        reader.End();
        _server.CacheAccess.RequireOperator(_tenant, "Reading cache metrics");
        var buffer = new ArrayBufferWriter<byte>(4096);
        CacheMetricsCodec.Write(buffer, cache.GetMetrics());
        return WriteRaw(header, StatusCode.Ok, buffer.WrittenSpan);
    }

    /// <summary>Reads a vector field into the connection's reused buffer (the lookup or store runs before the next frame).</summary>
    private ReadOnlyMemory<float> ReadCacheVector(ref PayloadReader reader, SemanticCache cache)
    {
        ReadOnlySpan<float> vector = reader.ReadVector();
        CacheAccess.CheckDimension(cache, vector.Length);
        if (_cacheVector.Length < vector.Length)
        {
            _cacheVector = new float[vector.Length];
        }

        vector.CopyTo(_cacheVector);
        return _cacheVector.AsMemory(0, vector.Length);
    }
}
