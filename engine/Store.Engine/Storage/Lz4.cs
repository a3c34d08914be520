using System.Reflection;
using System.Runtime.InteropServices;

namespace Store.Storage;

/// <summary>LZ4 block compression through P/Invoke to the system's liblz4.so.1 (Debian liblz4-1).</summary>
internal static unsafe partial class Lz4
{
    private const string Library = "lz4";
    private static readonly Lazy<bool> Loaded = new(Probe);

    static Lz4()
    {
        NativeLibrary.SetDllImportResolver(typeof(Lz4).Assembly, Resolve);
    }

    /// <summary>True if the native library loaded.</summary>
    public static bool IsAvailable => Loaded.Value;

    /// <summary>Worst-case compressed size of <paramref name="length"/> bytes.</summary>
    public static int MaxCompressedLength(int length) => length + (length / 255) + 16;

    /// <summary>Compresses into <paramref name="destination"/>; returns the compressed length, 0 if it did not fit.</summary>
    public static int Compress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            return CompressDefault(src, dst, source.Length, destination.Length);
        }
    }

    /// <summary>Decompresses exactly <paramref name="destination"/>.Length bytes; false if the input is not valid LZ4.</summary>
    public static bool TryDecompress(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        fixed (byte* src = source)
        fixed (byte* dst = destination)
        {
            return DecompressSafe(src, dst, source.Length, destination.Length) == destination.Length;
        }
    }

    private static bool Probe()
    {
        try
        {
            return CompressBound(16) > 16;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in new[] { "liblz4.so.1", "liblz4.so", "liblz4.dylib", "lz4" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    [LibraryImport(Library, EntryPoint = "LZ4_compress_default")]
    private static partial int CompressDefault(byte* source, byte* destination, int sourceSize, int maxDestinationSize);

    [LibraryImport(Library, EntryPoint = "LZ4_decompress_safe")]
    private static partial int DecompressSafe(byte* source, byte* destination, int compressedSize, int maxDecompressedSize);

    [LibraryImport(Library, EntryPoint = "LZ4_compressBound")]
    private static partial int CompressBound(int inputSize);
}
