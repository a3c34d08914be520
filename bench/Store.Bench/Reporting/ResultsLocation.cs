namespace Store.Bench.Reporting;

/// <summary>
/// Where result files go: <c>--out DIR</c> if given; else bench/results of the repository (the
/// folder holding Store.sln, found walking up from the binary, then from the current directory);
/// else ./results under the current directory (a self-contained binary on another machine).
/// </summary>
internal static class ResultsLocation
{
    private const string SolutionFile = "Store.sln";

    public static string Resolve(string? outDirectory)
    {
        if (outDirectory is not null)
        {
            return Path.GetFullPath(outDirectory);
        }

        string? root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Environment.CurrentDirectory);
        return root is not null
            ? Path.Combine(root, "bench", "results")
            : Path.Combine(Environment.CurrentDirectory, "results");
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
