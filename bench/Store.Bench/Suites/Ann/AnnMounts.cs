namespace Store.Bench.Suites.Ann;

/// <summary>Warns when a directory is on tmpfs, where SPTAG's (and Store's) O_DIRECT reads of postings do not work as on disk.</summary>
internal static class AnnMounts
{
    public static void WarnIfTmpfs(string directory, Action<string> log)
    {
        const string Mounts = "/proc/mounts";
        if (!File.Exists(Mounts))
        {
            return;
        }

        string full = Path.GetFullPath(directory);
        string? type = null;
        int longest = -1;
        foreach (string line in File.ReadLines(Mounts))
        {
            string[] parts = line.Split(' ');
            if (parts.Length < 3)
            {
                continue;
            }

            string point = parts[1];
            bool covers = full == point || full.StartsWith(point.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (covers && point.Length > longest)
            {
                longest = point.Length;
                type = parts[2];
            }
        }

        if (type == "tmpfs")
        {
            log($"# WARNING: {full} is on tmpfs: O_DIRECT reads (SPTAG's postings, Store's) fail or do not measure a disk; pass --data/--dir on a real filesystem");
        }
    }
}
