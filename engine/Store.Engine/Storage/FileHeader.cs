using System.Buffers.Binary;
using System.Text;

namespace Store.Storage;

/// <summary>
/// The 32-byte header every Store file starts with: 8 bytes of magic naming the file kind,
/// a u32 format version, a u32 flags word reserved for the kind, a u64 kind-specific value,
/// 4 reserved bytes and a CRC32C of the first 28 bytes.
/// </summary>
internal readonly record struct FileHeader(ulong Magic, uint Version, ulong Value)
{
    public const int Size = 32;

    /// <summary>Magic of a log segment: "STORELOG".</summary>
    public static readonly ulong SegmentMagic = MagicOf("STORELOG");

    /// <summary>Magic of an index checkpoint: "STORECKP".</summary>
    public static readonly ulong CheckpointMagic = MagicOf("STORECKP");

    /// <summary>Magic of the keyspace catalog: "STORECAT".</summary>
    public static readonly ulong CatalogMagic = MagicOf("STORECAT");

    /// <summary>Magic of a vector collection's description: "STOREVEC".</summary>
    public static readonly ulong VectorCollectionMagic = MagicOf("STOREVEC");

    /// <summary>Magic of a vector index's id list (internal id order): "STOREVID".</summary>
    public static readonly ulong VectorIdsMagic = MagicOf("STOREVID");

    /// <summary>Magic of a persisted HNSW graph: "STOREHNS".</summary>
    public static readonly ulong HnswMagic = MagicOf("STOREHNS");

    /// <summary>Magic of a SPANN index's in-memory part (heads, directory, ids): "STORESPH".</summary>
    public static readonly ulong SpannHeadsMagic = MagicOf("STORESPH");

    /// <summary>Magic of a SPANN posting file: "STORESPP".</summary>
    public static readonly ulong SpannPostingsMagic = MagicOf("STORESPP");

    public void Write(Span<byte> destination)
    {
        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(destination, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], Version);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], Value);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], Crc32C.Compute(destination[..28]));
    }

    /// <summary>
    /// Reads and checks a header: wrong magic or an unknown version throws <see cref="UnsupportedFormatException"/>,
    /// a bad checksum throws <see cref="StoreCorruptionException"/>.
    /// </summary>
    public static FileHeader Read(ReadOnlySpan<byte> source, ulong expectedMagic, uint supportedVersion, string path)
    {
        if (source.Length < Size)
        {
            throw new StoreCorruptionException(path, 0, $"the file is {source.Length} bytes, shorter than its {Size}-byte header");
        }

        ulong magic = BinaryPrimitives.ReadUInt64LittleEndian(source);
        if (magic != expectedMagic)
        {
            throw new UnsupportedFormatException(path, $"does not start with the magic '{NameOf(expectedMagic)}' (found '{NameOf(magic)}')");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(source[8..]);
        if (BinaryPrimitives.ReadUInt32LittleEndian(source[28..]) != Crc32C.Compute(source[..28]))
        {
            throw new StoreCorruptionException(path, 0, "the file header's checksum does not match");
        }

        if (version != supportedVersion)
        {
            throw new UnsupportedFormatException(path, $"has format version {version}; this build reads version {supportedVersion}");
        }

        return new FileHeader(magic, version, BinaryPrimitives.ReadUInt64LittleEndian(source[16..]));
    }

    private static ulong MagicOf(string text) => BinaryPrimitives.ReadUInt64LittleEndian(Encoding.ASCII.GetBytes(text));

    private static string NameOf(ulong magic)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, magic);
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return $"0x{magic:x16}";
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }
}
