namespace Store.Tests.Kv;

/// <summary>
/// A fresh directory under the system temp folder (store-kv-tests/) for one test, deleted (recursively)
/// on dispose unless STORE_KEEP_TEST_DIRS=1 (to look at the files a failed test left).
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "store-kv-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>STORE_KEEP_TEST_DIRS=1: test directories are left in place.</summary>
    public static bool KeepAll { get; } = Environment.GetEnvironmentVariable("STORE_KEEP_TEST_DIRS") == "1";

    public string Path { get; }

    /// <summary>A path inside the directory (not created).</summary>
    public string Combine(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (KeepAll)
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
