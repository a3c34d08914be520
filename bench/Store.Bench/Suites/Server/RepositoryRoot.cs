namespace Store.Bench.Suites.Server;

/// <summary>The folder holding Store.sln, found walking up from the binary, then from the current directory.</summary>
internal static class RepositoryRoot
{
    public static string? Find() => Walk(AppContext.BaseDirectory) ?? Walk(Environment.CurrentDirectory);

    private static string? Walk(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Store.sln")))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
