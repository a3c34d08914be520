using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Store.Cache;

/// <summary>
/// The hard key of a cache entry: tenant, model, a hash of everything else that shapes a response
/// (system prompt, tools, response format, generation parameters) and a revision. Lookups only ever
/// compare entries of the same <see cref="Key"/>: similarity never crosses a partition, so one tenant
/// or model never gets another's answer. Bump <see cref="Revision"/> to retire a partition's entries.
/// </summary>
public sealed record CachePartition
{
    private string? _key;

    /// <summary>Creates a partition from its parts; the key is computed on first use.</summary>
    /// <param name="tenant">Owner of the entries (required, non-empty).</param>
    /// <param name="model">Model that produced the responses (required, non-empty).</param>
    public CachePartition(string tenant, string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentException.ThrowIfNullOrEmpty(model);
        Tenant = tenant;
        Model = model;
    }

    /// <summary>Copies the parts of <paramref name="original"/> (for <c>with</c>); the key is computed anew.</summary>
    private CachePartition(CachePartition original)
    {
        Tenant = original.Tenant;
        Model = original.Model;
        SystemPrompt = original.SystemPrompt;
        Tools = original.Tools;
        ResponseFormat = original.ResponseFormat;
        Parameters = original.Parameters;
        Revision = original.Revision;
    }

    /// <summary>Owner of the entries.</summary>
    public string Tenant { get; }

    /// <summary>Model that produced the responses.</summary>
    public string Model { get; }

    /// <summary>The system prompt (or instructions) in force; null for none.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>A canonical description of the tools offered (names, descriptions, schemas); null for none.</summary>
    public string? Tools { get; init; }

    /// <summary>A canonical description of the response format (text, JSON, a schema); null for the default.</summary>
    public string? ResponseFormat { get; init; }

    /// <summary>A canonical rendering of generation parameters (temperature, top-p, max tokens, seed...); null for defaults.</summary>
    public string? Parameters { get; init; }

    /// <summary>Revision of the partition; a new revision never sees the entries of an old one. Default 0.</summary>
    public long Revision { get; init; }

    /// <summary>
    /// The partition key: 64 hex digits of a SHA-256 over every part, each length-prefixed (so no two
    /// different sets of parts can be spelled alike). Stored with each entry; equal parts, equal key.
    /// </summary>
    public string Key => _key ??= ComputeKey();

    private string ComputeKey()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendPart(hash, Tenant);
        AppendPart(hash, Model);
        AppendPart(hash, SystemPrompt);
        AppendPart(hash, Tools);
        AppendPart(hash, ResponseFormat);
        AppendPart(hash, Parameters);
        Span<byte> revision = stackalloc byte[sizeof(long)];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(revision, Revision);
        hash.AppendData(revision);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest);
    }

    private static void AppendPart(IncrementalHash hash, string? part)
    {
        Span<byte> length = stackalloc byte[sizeof(int)];
        if (part is null)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        int byteCount = Encoding.UTF8.GetByteCount(part);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, byteCount);
        hash.AppendData(length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(byteCount);
        int written = Encoding.UTF8.GetBytes(part, rented);
        hash.AppendData(rented, 0, written);
        ArrayPool<byte>.Shared.Return(rented);
    }

    /// <inheritdoc/>
    public bool Equals(CachePartition? other) => other is not null && (ReferenceEquals(this, other) || Key == other.Key);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);
}
