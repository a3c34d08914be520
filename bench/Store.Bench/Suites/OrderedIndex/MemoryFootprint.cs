using Store.Bench.Peers;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>
/// Bytes per entry: growth of the settled managed heap (<see cref="GC.GetTotalMemory"/> after full
/// collections) from before creating a structure to after one thread inserted every key of a
/// pre-generated key set. Native memory a structure might allocate is not seen.
/// </summary>
internal static class MemoryFootprint
{
    /// <summary>Returns the bytes per entry and the loaded structure (for reuse as a warm-up structure).</summary>
    public static (double BytesPerEntry, IIndexDriver Loaded) Measure(PeerDescriptor peer, KeySet keys)
    {
        long before = SettledHeapBytes();
        var driver = peer.Create();
        driver.Load(keys, threads: 1);
        long after = SettledHeapBytes();
        LoadCheck.ExpectCount(driver, keys.Count, "after the footprint load");
        return ((after - before) / (double)keys.Count, driver);
    }

    private static long SettledHeapBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
