using System.Text;

namespace Store.Tests.Kv;

/// <summary>Byte-string helpers: the engine's key order (unsigned lexicographic, shorter prefix first) and text.</summary>
internal sealed class ByteOrder : IComparer<byte[]>, IEqualityComparer<byte[]>
{
    public static ByteOrder Instance { get; } = new();

    public int Compare(byte[]? x, byte[]? y) => Math.Sign(x.AsSpan().SequenceCompareTo(y));

    public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj)
    {
        var hash = new HashCode();
        hash.AddBytes(obj);
        return hash.ToHashCode();
    }
}

/// <summary>Short names for test data.</summary>
internal static class Bytes
{
    public static byte[] Of(string ascii) => Encoding.ASCII.GetBytes(ascii);

    /// <summary>Readable form of a key or value for failure messages (hex when not printable, long ones cut).</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 48)
        {
            return $"{Show(bytes[..40])}..({bytes.Length} bytes)";
        }

        foreach (byte b in bytes)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return "0x" + Convert.ToHexString(bytes);
            }
        }

        return "\"" + Encoding.ASCII.GetString(bytes) + "\"";
    }

    public static string Show(byte[]? bytes) => bytes is null ? "null" : Show(bytes.AsSpan());

    /// <summary>Random bytes (incompressible) of the given length.</summary>
    public static byte[] Random(Random rng, int length)
    {
        byte[] bytes = new byte[length];
        rng.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A highly compressible value of the given length.</summary>
    public static byte[] Compressible(int length, byte seed)
    {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed + (i / 32 % 4));
        }

        return bytes;
    }
}
