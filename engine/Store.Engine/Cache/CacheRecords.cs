using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Store.Cache;

/// <summary>
/// The KV records of a cache (keyspace <c>$cache/&lt;name&gt;</c>). Keys are one tag byte and, for
/// entries, the id big-endian (so a prefix scan visits entries in id order):
/// <list type="bullet">
/// <item><c>m</c>: the cache's description: format version, dimension.</item>
/// <item><c>e</c>+id: an entry: version, created and expiry (Unix ms), the vector, category, partition key, prompt.</item>
/// <item><c>r</c>+id: its answer: metadata length, metadata, response. Kept apart so a hit reads only this.</item>
/// </list>
/// Both entry records carry the entry's TTL in the KV tier, so expired entries leave it on their own.
/// </summary>
internal static class CacheRecords
{
    public const byte EntryTag = (byte)'e';
    public const byte ResponseTag = (byte)'r';
    public const int KeyLength = 9;
    public const uint FormatVersion = 1;

    private const byte EntryVersion = 1;

    public static ReadOnlySpan<byte> DescriptionKey => "m"u8;

    public static ReadOnlySpan<byte> EntryPrefix => "e"u8;

    public static void WriteKey(byte tag, long id, Span<byte> key)
    {
        key[0] = tag;
        BinaryPrimitives.WriteInt64BigEndian(key[1..], id);
    }

    public static long ReadId(ReadOnlySpan<byte> key) => BinaryPrimitives.ReadInt64BigEndian(key[1..]);

    public static byte[] Description(int dimension)
    {
        byte[] value = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(value, FormatVersion);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(4), dimension);
        return value;
    }

    /// <summary>The dimension in a description; throws <see cref="UnsupportedFormatException"/> for an unknown version.</summary>
    public static int ReadDescription(ReadOnlySpan<byte> value, string cacheName)
    {
        uint version = value.Length >= 8 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : 0;
        if (version != FormatVersion)
        {
            throw new UnsupportedFormatException($"semantic cache '{cacheName}'", $"cache format version {version} (this build reads {FormatVersion})");
        }

        return BinaryPrimitives.ReadInt32LittleEndian(value[4..]);
    }

    public static byte[] Entry(long createdMs, long expiresMs, ReadOnlySpan<float> vector, string category, string partitionKey, string prompt)
    {
        int categoryBytes = Encoding.UTF8.GetByteCount(category);
        int partitionBytes = Encoding.UTF8.GetByteCount(partitionKey);
        int promptBytes = Encoding.UTF8.GetByteCount(prompt);
        byte[] value = new byte[1 + 8 + 8 + 4 + (vector.Length * 4) + 2 + categoryBytes + 2 + partitionBytes + 4 + promptBytes];
        Span<byte> s = value;
        s[0] = EntryVersion;
        BinaryPrimitives.WriteInt64LittleEndian(s[1..], createdMs);
        BinaryPrimitives.WriteInt64LittleEndian(s[9..], expiresMs);
        BinaryPrimitives.WriteInt32LittleEndian(s[17..], vector.Length);
        int at = 21;
        MemoryMarshal.AsBytes(vector).CopyTo(s[at..]);
        at += vector.Length * 4;
        BinaryPrimitives.WriteUInt16LittleEndian(s[at..], (ushort)categoryBytes);
        at += 2 + Encoding.UTF8.GetBytes(category, s[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(s[at..], (ushort)partitionBytes);
        at += 2 + Encoding.UTF8.GetBytes(partitionKey, s[(at + 2)..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[at..], promptBytes);
        Encoding.UTF8.GetBytes(prompt, s[(at + 4)..]);
        return value;
    }

    /// <summary>Decodes an entry record; false (nothing thrown) when it is damaged or of an unknown version.</summary>
    public static bool TryReadEntry(ReadOnlySpan<byte> s, out StoredEntry entry)
    {
        entry = default;
        if (s.Length < 21 || s[0] != EntryVersion)
        {
            return false;
        }

        long created = BinaryPrimitives.ReadInt64LittleEndian(s[1..]);
        long expires = BinaryPrimitives.ReadInt64LittleEndian(s[9..]);
        int dimension = BinaryPrimitives.ReadInt32LittleEndian(s[17..]);
        int at = 21;
        if (dimension < 0 || s.Length - at < (dimension * 4L) + 8)
        {
            return false;
        }

        float[] vector = MemoryMarshal.Cast<byte, float>(s.Slice(at, dimension * 4)).ToArray();
        at += dimension * 4;
        if (!TryReadString(s, ref at, BinaryPrimitives.ReadUInt16LittleEndian(s[at..]), 2, out string category)
            || at + 2 > s.Length
            || !TryReadString(s, ref at, BinaryPrimitives.ReadUInt16LittleEndian(s[at..]), 2, out string partition)
            || at + 4 > s.Length
            || !TryReadString(s, ref at, BinaryPrimitives.ReadInt32LittleEndian(s[at..]), 4, out string prompt))
        {
            return false;
        }

        entry = new StoredEntry(created, expires, vector, category, partition, prompt);
        return true;
    }

    public static byte[] Response(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> response)
    {
        byte[] value = new byte[4 + metadata.Length + response.Length];
        BinaryPrimitives.WriteInt32LittleEndian(value, metadata.Length);
        metadata.CopyTo(value.AsSpan(4));
        response.CopyTo(value.AsSpan(4 + metadata.Length));
        return value;
    }

    /// <summary>Splits a response record into metadata and response (views of <paramref name="value"/>); false if damaged.</summary>
    public static bool TryReadResponse(byte[] value, out ReadOnlyMemory<byte> metadata, out ReadOnlyMemory<byte> response)
    {
        int length = value.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(value) : -1;
        if (length < 0 || length > value.Length - 4)
        {
            metadata = response = default;
            return false;
        }

        metadata = value.AsMemory(4, length);
        response = value.AsMemory(4 + length);
        return true;
    }

    private static bool TryReadString(ReadOnlySpan<byte> s, ref int at, int length, int prefix, out string text)
    {
        at += prefix;
        if (length < 0 || length > s.Length - at)
        {
            text = "";
            return false;
        }

        text = Encoding.UTF8.GetString(s.Slice(at, length));
        at += length;
        return true;
    }
}

/// <summary>An entry as read back from the KV tier at open.</summary>
internal readonly record struct StoredEntry(long CreatedMs, long ExpiresMs, float[] Vector, string Category, string PartitionKey, string Prompt);
