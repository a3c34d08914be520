using System.Buffers.Binary;
using System.Text;
using Store.Kv;

namespace Store.Vectors;

/// <summary>
/// The durable state of a tenant index, as records of its internal keyspace (the KV tier gives them
/// durability, checksums and recovery). Keys start with a kind byte:
/// <list type="bullet">
/// <item><c>0x00</c>: the meta record: magic <c>STORETNT</c>, u32 format version, i32 dimension, u8 metric, u8 element type.</item>
/// <item><c>0x01</c> + u32 BE tenant number: the tenant's name (UTF-8); numbers are dense, in order of first use.</item>
/// <item><c>0x02</c> + u64 BE id (sign bit flipped): u8 record version, i32 LE owner number, the vector's code.</item>
/// <item><c>0x03</c> + id as above + u32 BE tenant number: a grant (value: u8 record version).</item>
/// </list>
/// A grant or revoke writes or deletes one small key; the tree is not stored (rebuilt at open).
/// </summary>
internal sealed class TenantRecords(Keyspace keyspace)
{
    public const uint FormatVersion = 1;
    private const byte RecordVersion = 1;
    private const byte MetaKind = 0x00, TenantKind = 0x01, VectorKind = 0x02, GrantKind = 0x03;
    private static readonly byte[] Magic = "STORETNT"u8.ToArray();
    private const int MetaLength = 8 + 4 + 4 + 1 + 1;

    /// <summary>Where the records live, for error messages.</summary>
    public string Name => $"keyspace {keyspace.Name}";

    /// <summary>Writes the meta record of a new index, or checks that a reopen passes the same shape.</summary>
    public void CheckOrWriteMeta(TenantIndexOptions options)
    {
        byte[]? meta = keyspace.Get([MetaKind]);
        if (meta is null)
        {
            var value = new byte[MetaLength];
            Magic.CopyTo(value, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(8), FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(12), options.Dimension);
            value[16] = (byte)options.Metric;
            value[17] = (byte)options.ElementType;
            keyspace.Set([MetaKind], value);
            return;
        }

        if (meta.Length < 12 || !meta.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new UnsupportedFormatException(Name, "does not start with the tenant index magic STORETNT");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(8));
        if (version != FormatVersion || meta.Length != MetaLength)
        {
            throw new UnsupportedFormatException(Name, $"has tenant index format version {version} (this build reads {FormatVersion})");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(meta.AsSpan(12));
        var metric = (VectorMetric)meta[16];
        var type = (VectorElementType)meta[17];
        if (dimension != options.Dimension || metric != options.Metric || type != options.ElementType)
        {
            throw new ArgumentException(
                $"The tenant index in {Name} holds dimension {dimension}, metric {metric}, element type {type}; it was opened with " +
                $"{options.Dimension}, {options.Metric}, {options.ElementType}. Open it with the stored values.", nameof(options));
        }
    }

    public void WriteTenant(int number, string name)
    {
        Span<byte> key = stackalloc byte[5];
        key[0] = TenantKind;
        BinaryPrimitives.WriteUInt32BigEndian(key[1..], (uint)number);
        keyspace.Set(key, Encoding.UTF8.GetBytes(name));
    }

    public void WriteVector(long id, int owner, ReadOnlySpan<byte> code)
    {
        Span<byte> key = stackalloc byte[9];
        VectorKey(key, id);
        byte[] value = new byte[5 + code.Length];
        value[0] = RecordVersion;
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(1), owner);
        code.CopyTo(value.AsSpan(5));
        keyspace.Set(key, value);
    }

    public void WriteGrant(long id, int tenant)
    {
        Span<byte> key = stackalloc byte[13];
        GrantKey(key, id, tenant);
        keyspace.Set(key, [RecordVersion]);
    }

    public void DeleteGrant(long id, int tenant)
    {
        Span<byte> key = stackalloc byte[13];
        GrantKey(key, id, tenant);
        keyspace.Delete(key);
    }

    public void DeleteVector(long id, ReadOnlySpan<int> grants)
    {
        foreach (int tenant in grants)
        {
            DeleteGrant(id, tenant);
        }

        Span<byte> key = stackalloc byte[9];
        VectorKey(key, id);
        keyspace.Delete(key);
    }

    public List<(int Number, string Name)> ReadTenants()
    {
        var tenants = new List<(int, string)>();
        keyspace.ScanPrefix([TenantKind], (key, value) =>
        {
            tenants.Add(((int)BinaryPrimitives.ReadUInt32BigEndian(key[1..]), Encoding.UTF8.GetString(value)));
            return true;
        });
        return tenants;
    }

    public delegate void VectorVisitor(long id, int owner, ReadOnlySpan<byte> code);

    public void ReadVectors(VectorVisitor visit, int codeSize)
    {
        string name = Name;
        keyspace.ScanPrefix([VectorKind], (key, value) =>
        {
            long id = IdOf(key[1..]);
            CheckVersion(value, name, id);
            if (value.Length != 5 + codeSize)
            {
                throw new StoreCorruptionException(name, id, $"vector record {id} holds {value.Length - 5} code bytes; this index's codes are {codeSize}");
            }

            visit(id, BinaryPrimitives.ReadInt32LittleEndian(value[1..]), value[5..]);
            return true;
        });
    }

    public void ReadGrants(Action<long, int> visit)
    {
        string name = Name;
        keyspace.ScanPrefix([GrantKind], (key, value) =>
        {
            long id = IdOf(key[1..]);
            CheckVersion(value, name, id);
            visit(id, (int)BinaryPrimitives.ReadUInt32BigEndian(key[9..]));
            return true;
        });
    }

    private static void CheckVersion(ReadOnlySpan<byte> value, string name, long id)
    {
        if (value.Length == 0 || value[0] != RecordVersion)
        {
            throw new UnsupportedFormatException(name, $"has a record for vector {id} of version {(value.Length == 0 ? "none" : value[0].ToString(System.Globalization.CultureInfo.InvariantCulture))} (this build reads {RecordVersion})");
        }
    }

    private static void VectorKey(Span<byte> key, long id)
    {
        key[0] = VectorKind;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], (ulong)id ^ (1UL << 63));
    }

    private static void GrantKey(Span<byte> key, long id, int tenant)
    {
        key[0] = GrantKind;
        BinaryPrimitives.WriteUInt64BigEndian(key[1..], (ulong)id ^ (1UL << 63));
        BinaryPrimitives.WriteUInt32BigEndian(key[9..], (uint)tenant);
    }

    private static long IdOf(ReadOnlySpan<byte> bytes) => (long)(BinaryPrimitives.ReadUInt64BigEndian(bytes) ^ (1UL << 63));
}
