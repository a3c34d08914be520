using System.Text;
using Store.Storage;

namespace Store.Kv;

/// <summary>One keyspace as the catalog stores it.</summary>
internal sealed record CatalogKeyspace(int Id, string Name, List<CatalogCategory> Categories);

/// <summary>One category as the catalog stores it.</summary>
internal sealed record CatalogCategory(int Id, string Name, CategoryPolicy Policy);

/// <summary>
/// The CATALOG file: keyspaces and category policies. Small and rarely changed, so it is
/// rewritten whole and atomically (temp file, fsync, rename, fsync of the directory).
/// Layout: file header (magic STORECAT, version 1, value = body length), body, CRC32C of the body.
/// </summary>
internal static class Catalog
{
    public const string FileName = "CATALOG";
    private const uint FormatVersion = 1;

    public static List<CatalogKeyspace> Load(string directory)
    {
        string path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        byte[] bytes = File.ReadAllBytes(path);
        FileHeader header = FileHeader.Read(bytes, FileHeader.CatalogMagic, FormatVersion, path);
        long bodyLength = (long)header.Value;
        if (bodyLength < 0 || FileHeader.Size + bodyLength + 4 != bytes.Length)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"the header announces {bodyLength} body bytes but the file is {bytes.Length} bytes");
        }

        ReadOnlySpan<byte> body = bytes.AsSpan(FileHeader.Size, (int)bodyLength);
        if (BitConverter.ToUInt32(bytes, FileHeader.Size + (int)bodyLength) != Crc32C.Compute(body))
        {
            throw new StoreCorruptionException(path, FileHeader.Size, "the catalog's checksum does not match");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes, FileHeader.Size, (int)bodyLength), Encoding.UTF8);
        var keyspaces = new List<CatalogKeyspace>();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            int id = reader.ReadUInt16();
            string name = reader.ReadString();
            int categoryCount = reader.ReadInt32();
            var categories = new List<CatalogCategory>(categoryCount);
            for (int c = 0; c < categoryCount; c++)
            {
                int categoryId = reader.ReadUInt16();
                string categoryName = reader.ReadString();
                var policy = new CategoryPolicy
                {
                    DefaultTtl = ReadSpan(reader),
                    MaxTtl = ReadSpan(reader),
                    MaxEntries = reader.ReadInt64(),
                    MaxBytes = reader.ReadInt64(),
                };
                categories.Add(new CatalogCategory(categoryId, categoryName, policy));
            }

            keyspaces.Add(new CatalogKeyspace(id, name, categories));
        }

        return keyspaces;
    }

    public static void Save(string directory, IEnumerable<CatalogKeyspace> keyspaces)
    {
        var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            var list = keyspaces.ToList();
            writer.Write(list.Count);
            foreach (CatalogKeyspace keyspace in list)
            {
                writer.Write((ushort)keyspace.Id);
                writer.Write(keyspace.Name);
                writer.Write(keyspace.Categories.Count);
                foreach (CatalogCategory category in keyspace.Categories)
                {
                    writer.Write((ushort)category.Id);
                    writer.Write(category.Name);
                    WriteSpan(writer, category.Policy.DefaultTtl);
                    WriteSpan(writer, category.Policy.MaxTtl);
                    writer.Write(category.Policy.MaxEntries);
                    writer.Write(category.Policy.MaxBytes);
                }
            }
        }

        var file = new byte[FileHeader.Size + body.Length + 4];
        new FileHeader(FileHeader.CatalogMagic, FormatVersion, (ulong)body.Length).Write(file);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(file.AsSpan(FileHeader.Size));
        BitConverter.TryWriteBytes(file.AsSpan(FileHeader.Size + (int)body.Length), Crc32C.Compute(body.GetBuffer().AsSpan(0, (int)body.Length)));
        AtomicFile.Write(Path.Combine(directory, FileName), file);
    }

    private static void WriteSpan(BinaryWriter writer, TimeSpan? value) => writer.Write(value?.Ticks ?? -1);

    private static TimeSpan? ReadSpan(BinaryReader reader)
    {
        long ticks = reader.ReadInt64();
        return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
    }
}
