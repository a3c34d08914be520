using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// This process's resident memory (VmRSS of /proc/self/status), and a way to hand freed memory back
/// to the OS before a baseline is taken, so memory freed by an earlier phase (a build in this
/// process) and reused later does not hide growth: an aggressive, compacting full GC (it decommits
/// free GC regions) and glibc's malloc_trim(0) for native memory.
/// </summary>
internal static partial class ProcessMemory
{
    /// <summary>VmRSS in bytes, or null where /proc/self/status has none (not Linux).</summary>
    public static long? ResidentBytes() => Field("VmRSS:");

    /// <summary>
    /// The two main parts of VmRSS: anonymous memory (heaps) and file-backed pages mapped into the
    /// process (mapped files such as a log read through mmap, and the binaries); null where not reported.
    /// </summary>
    public static (long? Anonymous, long? FileBacked) ResidentParts() => (Field("RssAnon:"), Field("RssFile:"));

    private static long? Field(string name)
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return null;
        }

        foreach (string line in File.ReadLines(Status))
        {
            if (line.StartsWith(name, StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', '\t', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : null;
            }
        }

        return null;
    }

    /// <summary>Collects everything collectable and returns free memory to the OS as far as the runtime and libc allow.</summary>
    public static void ReleaseFreed()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = MallocTrim(0);
            }
            catch (DllNotFoundException)
            {
            }
            catch (EntryPointNotFoundException)
            {
            }
        }
    }

    /// <summary>A full blocking GC without decommit: what is still resident after it is live or kept by the runtime.</summary>
    public static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
