namespace Store;

/// <summary>Base type of the errors the engine raises for conditions a caller can act on.</summary>
public class StoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an inner cause.</summary>
    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A keyspace name that the database does not have.</summary>
public sealed class KeyspaceNotFoundException(string name)
    : StoreException($"Keyspace '{name}' does not exist. Create it with Database.GetOrCreateKeyspace(\"{name}\").")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}

/// <summary>A category name that the keyspace does not define.</summary>
public sealed class CategoryNotFoundException(string keyspace, string name)
    : StoreException($"Keyspace '{keyspace}' has no category '{name}'. Define it with Keyspace.DefineCategory(\"{name}\", policy).")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}

/// <summary>A file's checksum, structure or contents are wrong: the data cannot be trusted.</summary>
public sealed class StoreCorruptionException(string path, long offset, string what)
    : StoreException($"Corrupt data in '{path}' at offset {offset}: {what}.")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = path;

    /// <summary>Byte offset of the bad data in the file.</summary>
    public long Offset { get; } = offset;
}

/// <summary>A file that is not a Store file of a format version this build reads.</summary>
public sealed class UnsupportedFormatException(string path, string what)
    : StoreException($"'{path}' {what}. It was not written by this version of Store; refusing to guess at it.")
{
    /// <summary>The file.</summary>
    public string FilePath { get; } = path;
}

/// <summary>Another process (or another Database instance) has the directory open.</summary>
public sealed class DatabaseLockedException(string path, Exception inner)
    : StoreException($"Database directory '{path}' is already open by another process or Database instance; close that one first.", inner);

/// <summary>An increment found a value that is not a decimal 64-bit integer, or it would overflow.</summary>
public sealed class ValueNotIntegerException(string message) : StoreException(message);
