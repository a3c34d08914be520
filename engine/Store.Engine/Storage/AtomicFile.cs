namespace Store.Storage;

/// <summary>Replaces a file so that after a crash either the old or the new content is there, whole.</summary>
internal static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string temporary = path + ".tmp";
        using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, content, 0);
            RandomAccess.FlushToDisk(handle);
        }

        Commit(temporary, path);
    }

    /// <summary>Renames a fully written and fsynced temporary file over its target and fsyncs the directory.</summary>
    public static void Commit(string temporary, string path)
    {
        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }
}
