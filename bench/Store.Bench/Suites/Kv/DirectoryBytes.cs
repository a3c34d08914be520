namespace Store.Bench.Suites.Kv;

/// <summary>Sizes of a database directory, measured after the database is closed.</summary>
internal static class DirectoryBytes
{
    /// <summary>Sum of the lengths of every file under <paramref name="directory"/>.</summary>
    public static long Total(string directory) =>
        Directory.Exists(directory)
            ? new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length)
            : 0;

    /// <summary>
    /// Bytes of log records in the segment files directly in <paramref name="logDirectory"/> (not in
    /// quarantine): each file up to its last non-zero byte, rounded up to 8, since a segment may be
    /// longer than its records (zero tail, preallocation).
    /// </summary>
    public static long UsedLogBytes(string logDirectory)
    {
        if (!Directory.Exists(logDirectory))
        {
            return 0;
        }

        long total = 0;
        foreach (string file in Directory.EnumerateFiles(logDirectory))
        {
            total += UsedBytes(file);
        }

        return total;
    }

    private static long UsedBytes(string file)
    {
        const int Chunk = 1 << 20;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
        var buffer = new byte[Chunk];
        long end = stream.Length;
        while (end > 0)
        {
            int length = (int)Math.Min(Chunk, end);
            long start = end - length;
            stream.Position = start;
            stream.ReadExactly(buffer, 0, length);
            int last = buffer.AsSpan(0, length).LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                long used = start + last + 1;
                return Math.Min(stream.Length, (used + 7) & ~7L);
            }

            end = start;
        }

        return 0;
    }
}
