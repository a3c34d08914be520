namespace Store.Tests.Index;

/// <summary>Formats keys for failure messages (hex, abbreviated when long).</summary>
internal static class KeyText
{
    private const int FullLimit = 48;

    public static string Format(ReadOnlySpan<byte> key)
    {
        if (key.Length <= FullLimit)
        {
            return $"[{key.Length}]{Convert.ToHexString(key)}";
        }

        return $"[{key.Length}]{Convert.ToHexString(key[..24])}..{Convert.ToHexString(key[^16..])}";
    }

    public static string Format(byte[]? key) => key is null ? "(none)" : Format(key.AsSpan());
}
