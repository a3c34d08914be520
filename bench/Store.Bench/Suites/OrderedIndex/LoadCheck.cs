using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Cheap integrity checks between runs, so a broken structure cannot post numbers.</summary>
internal static class LoadCheck
{
    public static void ExpectCount(IIndexDriver driver, long expected, string when)
    {
        long count = driver.Index.Count;
        if (count != expected)
        {
            throw new InvalidOperationException($"the structure holds {count} keys {when}, expected {expected}");
        }
    }
}
