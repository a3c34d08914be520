using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// A SPANN index checkpoint, file <c>spann.heads</c> (magic "STORESPH", format 2; the header's value is
/// the checkpoint generation, which also names the head graph file <c>spann.graph.&lt;generation&gt;</c>):
/// built vector count, vector count, head count, code size; the version byte and external id of every
/// internal id; per head the vector it stands for (-1: routing only) and its code; per head its list
/// (entry count, -1 for a removed head; block count; block numbers); a CRC32C of the body.
/// </summary>
internal sealed record SpannState(long Generation, int BuiltCount, VersionMap Versions, long[] ExternalIds, int[] HeadVectors, byte[] HeadCodes, PostingList?[] Lists)
{
    public const uint FormatVersion = 2;

    public void Write(string path, VectorSpace space)
    {
        using var writer = new ChecksummedWriter(path, FileHeader.SpannHeadsMagic, FormatVersion, (ulong)Generation);
        byte[] versions = Versions.Snapshot();
        writer.WriteInt32(BuiltCount);
        writer.WriteInt32(versions.Length);
        writer.WriteInt32(HeadVectors.Length);
        writer.WriteInt32(space.CodeSize);
        writer.Write(versions);
        writer.Write<long>(ExternalIds.AsSpan(0, versions.Length));
        writer.Write<int>(HeadVectors);
        writer.Write(HeadCodes);
        foreach (PostingList? list in Lists)
        {
            writer.WriteInt32(list?.Count ?? -1);
            writer.WriteInt32(list?.Blocks.Length ?? 0);
            if (list is not null)
            {
                writer.Write<int>(list.Blocks);
            }
        }

        writer.Commit();
    }

    public static SpannState Read(string path, VectorSpace space)
    {
        using var reader = new ChecksummedReader(path, FileHeader.SpannHeadsMagic, FormatVersion);
        long generation = (long)reader.Header.Value;
        int built = reader.ReadInt32(0, int.MaxValue, "the built vector count");
        int count = reader.ReadInt32(built, int.MaxValue, "the vector count");
        int heads = reader.ReadInt32(0, int.MaxValue, "the head count");
        reader.ReadInt32(space.CodeSize, space.CodeSize, "the code size");
        VersionMap versions = VersionMap.FromBytes(reader.Read(count));
        var ids = new long[count];
        reader.Read<long>(ids);
        var headVectors = new int[heads];
        reader.Read<int>(headVectors);
        foreach (int vector in headVectors)
        {
            if (vector < -1 || vector >= count)
            {
                throw new StoreCorruptionException(path, 0, $"a head names vector {vector}, beyond the {count} vectors; rebuild the index");
            }
        }

        byte[] codes = reader.Read(checked(heads * space.CodeSize)).ToArray();
        var lists = new PostingList?[heads];
        for (int h = 0; h < heads; h++)
        {
            int entries = reader.ReadInt32(-1, int.MaxValue, "a list's entry count");
            int blocks = reader.ReadInt32(0, int.MaxValue / 4, "a list's block count");
            if (entries < 0)
            {
                continue;
            }

            var numbers = new int[blocks];
            reader.Read<int>(numbers);
            lists[h] = new PostingList(numbers, entries);
        }

        if (!reader.AtEnd)
        {
            throw new StoreCorruptionException(path, 0, "bytes follow the last list; rebuild the index");
        }

        return new SpannState(generation, built, versions, ids, headVectors, codes, lists);
    }
}
