namespace Store.Bench.Suites.Ann;

/// <summary>Bytes on disk of an index directory: the sum of the lengths of its files.</summary>
internal static class AnnDisk
{
    public static long Bytes(string directory) =>
        Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;
}
