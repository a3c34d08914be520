using System.Runtime.InteropServices;
using Store.Cache;

namespace Store.Client.Protocol;

/// <summary>
/// The fields of the semantic-cache operations (docs/protocol.md, "Semantic cache"), shared by the
/// client and the server: partitions, policies, vectors, optional strings and doubles.
/// </summary>
public static class CacheCodec
{
    /// <summary>Length prefix of an absent optional string.</summary>
    public const uint NullLength = uint.MaxValue;

    /// <summary>Bytes of the policy fields.</summary>
    public const int PolicySize = (8 * 3) + (8 * 4) + 3;

    /// <summary>Bytes of an optional string field (u32 length, UTF-8; length 0xFFFFFFFF for null).</summary>
    public static int SizeOfOptional(string? value) => value is null ? 4 : PayloadWriter.SizeOf(value);

    /// <summary>Bytes of a partition's fields.</summary>
    public static int SizeOf(CachePartition partition) =>
        PayloadWriter.SizeOf(partition.Tenant) + PayloadWriter.SizeOf(partition.Model) + SizeOfOptional(partition.SystemPrompt)
        + SizeOfOptional(partition.Tools) + SizeOfOptional(partition.ResponseFormat) + SizeOfOptional(partition.Parameters) + 8;

    /// <summary>Bytes of a vector field (a bytes field of little-endian f32).</summary>
    public static int SizeOfVector(int dimension) => 4 + (dimension * sizeof(float));

    /// <summary>Writes an optional string.</summary>
    public static void WriteOptional(ref this PayloadWriter writer, string? value)
    {
        if (value is null)
        {
            writer.Write(NullLength);
        }
        else
        {
            writer.WriteString(value);
        }
    }

    /// <summary>Reads an optional string.</summary>
    public static string? ReadOptional(ref this PayloadReader reader)
    {
        PayloadReader probe = reader;
        if (probe.ReadUInt32() == NullLength)
        {
            reader.ReadUInt32();
            return null;
        }

        return reader.ReadString();
    }

    /// <summary>Writes an f64 (IEEE 754 bits, little-endian).</summary>
    public static void WriteDouble(ref this PayloadWriter writer, double value) => writer.Write(BitConverter.DoubleToInt64Bits(value));

    /// <summary>Reads an f64.</summary>
    public static double ReadDouble(ref this PayloadReader reader) => BitConverter.Int64BitsToDouble(reader.ReadInt64());

    /// <summary>Writes a vector: a bytes field of little-endian f32 components.</summary>
    public static void WriteVector(ref this PayloadWriter writer, ReadOnlySpan<float> vector)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The Store protocol codec runs on little-endian machines only.");
        }

        writer.WriteBytes(MemoryMarshal.AsBytes(vector));
    }

    /// <summary>Reads a vector field; returns its components (a view of the payload: copy before the payload goes).</summary>
    public static ReadOnlySpan<float> ReadVector(ref this PayloadReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes();
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new ProtocolException(StatusCode.BadRequest, $"A vector field holds {bytes.Length} bytes, not a whole number of 4-byte floats.");
        }

        return MemoryMarshal.Cast<byte, float>(bytes);
    }

    /// <summary>Writes a partition: tenant, model, four optional strings and the revision.</summary>
    public static void WritePartition(ref this PayloadWriter writer, CachePartition partition)
    {
        writer.WriteString(partition.Tenant);
        writer.WriteString(partition.Model);
        writer.WriteOptional(partition.SystemPrompt);
        writer.WriteOptional(partition.Tools);
        writer.WriteOptional(partition.ResponseFormat);
        writer.WriteOptional(partition.Parameters);
        writer.Write(partition.Revision);
    }

    /// <summary>Reads a partition's fields; the tenant may be empty (a server fills in the connection's tenant).</summary>
    public static PartitionFields ReadPartition(ref this PayloadReader reader) => new(
        reader.ReadString(), reader.ReadString(), reader.ReadOptional(), reader.ReadOptional(), reader.ReadOptional(), reader.ReadOptional(), reader.ReadInt64());

    /// <summary>Writes a policy's fields.</summary>
    public static void WritePolicy(ref this PayloadWriter writer, CachePolicy policy)
    {
        writer.WriteDouble(policy.Threshold);
        writer.WriteDouble(policy.MinThreshold);
        writer.WriteDouble(policy.MaxThreshold);
        writer.Write(Milliseconds(policy.DefaultTtl));
        writer.Write(Milliseconds(policy.MaxTtl));
        writer.Write(policy.MaxEntries);
        writer.Write(policy.MaxBytes);
        writer.Write((byte)policy.Mode);
        writer.Write((byte)policy.Eviction);
        writer.Write(policy.Strict ? (byte)1 : (byte)0);
    }

    /// <summary>Reads a policy's fields (not validated: the receiver validates).</summary>
    public static CachePolicy ReadPolicy(ref this PayloadReader reader) => new()
    {
        Threshold = reader.ReadDouble(),
        MinThreshold = reader.ReadDouble(),
        MaxThreshold = reader.ReadDouble(),
        DefaultTtl = TimeSpan.FromMilliseconds(reader.ReadInt64()),
        MaxTtl = TimeSpan.FromMilliseconds(reader.ReadInt64()),
        MaxEntries = reader.ReadInt64(),
        MaxBytes = reader.ReadInt64(),
        Mode = (CacheMode)reader.ReadByte(),
        Eviction = (CacheEvictionOrder)reader.ReadByte(),
        Strict = reader.ReadByte() != 0,
    };

    /// <summary>Whole milliseconds of a duration (rounded up, so a positive one stays positive).</summary>
    public static long Milliseconds(TimeSpan value) => (long)Math.Ceiling(value.TotalMilliseconds);
}

/// <summary>A partition as it comes off the wire, before the receiver checks it and applies its tenant rules.</summary>
/// <param name="Tenant">The tenant named (empty: the connection's own).</param>
/// <param name="Model">The model.</param>
/// <param name="SystemPrompt">The system prompt or null.</param>
/// <param name="Tools">The tools description or null.</param>
/// <param name="ResponseFormat">The response format or null.</param>
/// <param name="Parameters">The generation parameters or null.</param>
/// <param name="Revision">The revision.</param>
public readonly record struct PartitionFields(string Tenant, string Model, string? SystemPrompt, string? Tools, string? ResponseFormat, string? Parameters, long Revision)
{
    /// <summary>The partition these fields name, with <paramref name="tenant"/> as its tenant.</summary>
    /// <exception cref="ArgumentException">The tenant or the model is empty.</exception>
    public CachePartition ToPartition(string tenant) => new(tenant, Model)
    {
        SystemPrompt = SystemPrompt,
        Tools = Tools,
        ResponseFormat = ResponseFormat,
        Parameters = Parameters,
        Revision = Revision,
    };
}
