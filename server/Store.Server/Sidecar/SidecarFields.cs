using System.Runtime.InteropServices;
using System.Text;
using Store.Client.Protocol;

namespace Store.Server.Sidecar;

/// <summary>Checks of request fields; each failure is a typed error naming the field.</summary>
internal static class SidecarFields
{
    /// <summary>Longest time span a field may give (as the binary protocol's ttl).</summary>
    private const double MaxSeconds = int.MaxValue;

    public static T Required<T>(T? value, string field)
        where T : class => value ?? throw Missing(field);

    public static PartitionJson Partition(PartitionJson? partition) => partition ?? throw Missing("partition");

    public static string Category(string? category) => string.IsNullOrEmpty(category) ? throw Missing("category") : category;

    public static TimeSpan Seconds(double seconds, string field) => double.IsFinite(seconds) && seconds > 0 && seconds <= MaxSeconds
        ? TimeSpan.FromSeconds(seconds)
        : throw new ProtocolException(StatusCode.InvalidArgument, $"{field} must be a positive number of seconds (at most {MaxSeconds:0}); got {seconds}.");

    /// <summary>The bytes of a field given as text (UTF-8) or as base64 (at most one of the two); empty if neither and not required.</summary>
    public static byte[] TextOrBase64(string? text, string? base64, string field, bool required)
    {
        if (text is not null && base64 is not null)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, $"Give either {field} (text) or {field}Base64, not both.");
        }

        if (text is not null)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        if (base64 is not null)
        {
            try
            {
                return Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new ProtocolException(StatusCode.InvalidArgument, $"{field}Base64 is not valid base64.");
            }
        }

        return required ? throw new ProtocolException(StatusCode.InvalidArgument, $"{field} is required: give it as text ({field}) or as base64 ({field}Base64).") : [];
    }

    /// <summary>
    /// The request's vector, given either as a JSON array of numbers (<c>vector</c>) or as base64 of
    /// little-endian float32s (<c>vectorBase64</c>, what an embeddings API returns with
    /// <c>encoding_format: "base64"</c>, passed on without decoding to numbers and back).
    /// </summary>
    public static float[] Vector(float[]? vector, byte[]? vectorBase64)
    {
        if (vector is not null && vectorBase64 is not null)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, "Give either vector (an array of numbers) or vectorBase64, not both.");
        }

        if (vector is not null)
        {
            return vector;
        }

        if (vectorBase64 is null)
        {
            throw new ProtocolException(StatusCode.InvalidArgument, "vector is required: give it as an array of numbers (vector) or as base64 of little-endian float32s (vectorBase64).");
        }

        if (vectorBase64.Length % sizeof(float) != 0)
        {
            throw new ProtocolException(StatusCode.InvalidArgument,
                $"vectorBase64 decodes to {vectorBase64.Length} bytes, not a whole number of 4-byte little-endian float32s.");
        }

        // Little-endian like the binary protocol's vectors (CacheCodec.ReadVector): the server runs on little-endian machines only.
        return MemoryMarshal.Cast<byte, float>(vectorBase64).ToArray();
    }

    public static ProtocolException Missing(string field) =>
        new(StatusCode.InvalidArgument, $"{field} is required (docs/cache.md, \"Sidecar\", lists every request's fields).");
}
