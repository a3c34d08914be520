using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Store.Cache;

/// <summary>
/// The exact key of a prompt: the first 128 bits of a SHA-256 of its normalized form (leading and
/// trailing whitespace dropped, every run of whitespace one space; case and punctuation kept, since
/// they change meaning in code). Computed into pooled buffers: no allocation per lookup.
/// </summary>
internal static class PromptKey
{
    private const int StackChars = 512;

    public static UInt128 Of(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        char[]? rentedChars = prompt.Length > StackChars ? ArrayPool<char>.Shared.Rent(prompt.Length) : null;
        Span<char> chars = rentedChars ?? stackalloc char[StackChars];
        int length = Normalize(prompt, chars);
        int maxBytes = Encoding.UTF8.GetMaxByteCount(length);
        byte[]? rentedBytes = maxBytes > StackChars * 2 ? ArrayPool<byte>.Shared.Rent(maxBytes) : null;
        Span<byte> bytes = rentedBytes ?? stackalloc byte[StackChars * 2];
        int written = Encoding.UTF8.GetBytes(chars[..length], bytes);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes[..written], digest);
        if (rentedChars is not null)
        {
            ArrayPool<char>.Shared.Return(rentedChars);
        }

        if (rentedBytes is not null)
        {
            ArrayPool<byte>.Shared.Return(rentedBytes);
        }

        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    /// <summary>The normalized prompt as a string (for tests and diagnostics).</summary>
    public static string Normalized(string prompt)
    {
        char[] chars = new char[prompt.Length];
        return new string(chars, 0, Normalize(prompt, chars));
    }

    private static int Normalize(ReadOnlySpan<char> prompt, Span<char> into)
    {
        int length = 0;
        bool pendingSpace = false;
        foreach (char c in prompt.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                into[length++] = ' ';
                pendingSpace = false;
            }

            into[length++] = c;
        }

        return length;
    }
}
