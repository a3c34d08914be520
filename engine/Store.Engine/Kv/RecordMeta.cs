using System.Buffers.Binary;
using Store.Storage;

namespace Store.Kv;

/// <summary>What the KV tier needs to know of a stored record without its value bytes.</summary>
internal readonly record struct RecordMeta(
    long Address, int Length, long Expiry, int Category, long Sequence, int KeyLength, int RawValueLength, RecordFlags Flags)
{
    public bool ExpiredAt(long nowMs) => Expiry != 0 && Expiry <= nowMs;

    /// <summary>Bytes charged to a category quota: key plus uncompressed value.</summary>
    public long Bytes => KeyLength + (long)RawValueLength;

    public static RecordMeta Of(long address, in RecordRef record)
    {
        RecordHeader h = record.Header;
        return new RecordMeta(address, h.Length, h.Expiry, h.Category, h.Sequence, h.KeyLength, RawLength(record), h.Flags);
    }

    /// <summary>Length of the value as the user wrote it.</summary>
    public static int RawLength(in RecordRef record) =>
        (record.Header.Flags & RecordFlags.Compressed) != 0
            ? BinaryPrimitives.ReadInt32LittleEndian(record.StoredValue)
            : record.Header.ValueLength;

    /// <summary>Copies (decompressing if needed) the value into <paramref name="destination"/> of exactly its raw length.</summary>
    public static void CopyValue(in RecordRef record, Span<byte> destination, long address)
    {
        if ((record.Header.Flags & RecordFlags.Compressed) == 0)
        {
            record.StoredValue.CopyTo(destination);
            return;
        }

        if (!Lz4.IsAvailable)
        {
            throw new StoreException("A value is LZ4-compressed but liblz4.so.1 cannot be loaded; install it (Debian: apt-get install liblz4-1).");
        }

        if (!Lz4.TryDecompress(record.StoredValue[sizeof(int)..], destination))
        {
            throw new StoreCorruptionException("record log", address, "a compressed value does not decompress to its recorded length");
        }
    }
}
