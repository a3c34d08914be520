using Store.Client.Protocol;

namespace Store.Client.Requests;

/// <summary>No payload (Count).</summary>
internal readonly struct EmptyBody : IRequestBody
{
    public int PayloadSize => 0;

    public void Write(ref PayloadWriter writer)
    {
    }
}

/// <summary><c>bytes key</c> (Get, Delete, Persist, TimeToLive).</summary>
internal readonly struct KeyBody(ReadOnlyMemory<byte> key) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(key.Length);

    public void Write(ref PayloadWriter writer) => writer.WriteBytes(key.Span);
}

/// <summary><c>bytes key, bytes value, ttl, string category, u8 condition, i64 expectedVersion</c> (Set).</summary>
internal readonly struct SetBody(ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value, in SetOptions options) : IRequestBody
{
    private readonly SetOptions _options = options;

    public int PayloadSize => PayloadWriter.SizeOf(key.Length) + PayloadWriter.SizeOf(value.Length) + 8
        + CategorySize(_options.Category) + 1 + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteBytes(key.Span);
        writer.WriteBytes(value.Span);
        writer.WriteTtl(_options.Ttl);
        writer.WriteString(_options.Category ?? string.Empty);
        writer.Write((byte)_options.Condition);
        writer.Write(_options.ExpectedVersion);
    }

    public static int CategorySize(string? category) => string.IsNullOrEmpty(category) ? 4 : PayloadWriter.SizeOf(category);
}

/// <summary><c>bytes key, i64 delta, ttl</c> (Increment).</summary>
internal readonly struct IncrementBody(ReadOnlyMemory<byte> key, long delta, TimeSpan? ttl) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(key.Length) + 8 + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteBytes(key.Span);
        writer.Write(delta);
        writer.WriteTtl(ttl);
    }
}

/// <summary><c>bytes key, ttl</c> (Expire).</summary>
internal readonly struct ExpireBody(ReadOnlyMemory<byte> key, TimeSpan ttl) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(key.Length) + 8;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteBytes(key.Span);
        writer.WriteTtl(ttl);
    }
}

/// <summary><c>u32 count, count x bytes key</c> (MultiGet).</summary>
internal readonly struct MultiGetBody(IReadOnlyList<byte[]> keys) : IRequestBody
{
    public int PayloadSize
    {
        get
        {
            long size = 4;
            for (int i = 0; i < keys.Count; i++)
            {
                size += 4L + keys[i].Length;
            }

            return checked((int)size);
        }
    }

    public void Write(ref PayloadWriter writer)
    {
        writer.Write((uint)keys.Count);
        for (int i = 0; i < keys.Count; i++)
        {
            writer.WriteBytes(keys[i]);
        }
    }
}

/// <summary><c>u32 count, count x (bytes key, bytes value), ttl, string category</c> (MultiSet).</summary>
internal readonly struct MultiSetBody(IReadOnlyList<KeyValuePair<byte[], byte[]>> items, TimeSpan? ttl, string? category) : IRequestBody
{
    public int PayloadSize
    {
        get
        {
            long size = 4 + 8 + SetBody.CategorySize(category);
            for (int i = 0; i < items.Count; i++)
            {
                size += 8L + items[i].Key.Length + items[i].Value.Length;
            }

            return checked((int)size);
        }
    }

    public void Write(ref PayloadWriter writer)
    {
        writer.Write((uint)items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            writer.WriteBytes(items[i].Key);
            writer.WriteBytes(items[i].Value);
        }

        writer.WriteTtl(ttl);
        writer.WriteString(category ?? string.Empty);
    }
}

/// <summary><c>bytes from, bytes to, u8 prefix, u32 limit</c> (Scan).</summary>
internal readonly struct ScanBody(ReadOnlyMemory<byte> from, ReadOnlyMemory<byte> to, bool prefix, int limit) : IRequestBody
{
    public int PayloadSize => PayloadWriter.SizeOf(from.Length) + PayloadWriter.SizeOf(to.Length) + 1 + 4;

    public void Write(ref PayloadWriter writer)
    {
        writer.WriteBytes(from.Span);
        writer.WriteBytes(to.Span);
        writer.Write(prefix ? (byte)1 : (byte)0);
        writer.Write((uint)limit);
    }
}

