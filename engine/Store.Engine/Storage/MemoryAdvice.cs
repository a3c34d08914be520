using System.Runtime.InteropServices;

namespace Store.Storage;

/// <summary>madvise(2) for mapped files: tells the kernel which mapped pages the process no longer needs.</summary>
internal static partial class MemoryAdvice
{
    private const int DontNeed = 4; // MADV_DONTNEED

    /// <summary>
    /// Drops a read-only file mapping's resident pages from the process (they stay in the page cache and
    /// fault back in when touched), so a sequential pass over a file does not leave it counted in the
    /// process's memory. Best effort: does nothing off Linux or if the kernel refuses.
    /// </summary>
    public static unsafe void ReleaseMapped(byte* start, long length)
    {
        if (!OperatingSystem.IsLinux() || start is null || length <= 0)
        {
            return;
        }

        const long Page = 4096;
        long address = (long)start;
        long aligned = address & ~(Page - 1);
        Madvise((nint)aligned, (nuint)(length + (address - aligned)), DontNeed);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
