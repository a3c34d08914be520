using System.Buffers.Binary;
using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// The SPANN posting file, format 3 (block lists for in-place updates). Block 0 holds the 32-byte file
/// header (magic "STORESPP", version 3, pages per block), then dimension, element type, metric, code
/// size and pages per block with a CRC32C of those fields. Blocks 1.. are <see cref="PostingBlock"/>s;
/// which block belongs to which list is kept in the index checkpoint (<see cref="SpannState"/>), so the
/// file itself is only ever written block by block. Format 2 (contiguous LZ4 lists, read only) is
/// refused with <see cref="UnsupportedFormatException"/>: rebuild the index to convert.
/// </summary>
internal static class PostingFile
{
    public const uint FormatVersion = 3;
    public const int PageSize = DirectFile.Alignment;
    private const int HeaderFields = 5;

    public static int PagesFor(long bytes) => (int)((bytes + PageSize - 1) / PageSize);

    /// <summary>Creates an empty posting file (only block 0) for codes of <paramref name="space"/>.</summary>
    public static PostingBlock Create(string path, VectorSpace space)
    {
        int blockPages = PostingBlock.PagesFor(space.CodeSize);
        var first = new byte[blockPages * PageSize];
        new FileHeader(FileHeader.SpannPostingsMagic, FormatVersion, (ulong)blockPages).Write(first);
        Span<byte> fields = first.AsSpan(FileHeader.Size, HeaderFields * 4);
        BinaryPrimitives.WriteInt32LittleEndian(fields, space.Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(fields[4..], (int)space.ElementType);
        BinaryPrimitives.WriteInt32LittleEndian(fields[8..], (int)space.Metric);
        BinaryPrimitives.WriteInt32LittleEndian(fields[12..], space.CodeSize);
        BinaryPrimitives.WriteInt32LittleEndian(fields[16..], blockPages);
        BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(FileHeader.Size + fields.Length), Crc32C.Compute(fields));
        using (var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write))
        {
            RandomAccess.Write(handle, first, 0);
            RandomAccess.FlushToDisk(handle);
        }

        return new PostingBlock(space.CodeSize, blockPages * PageSize);
    }

    /// <summary>Reads and checks block 0; returns the block layout.</summary>
    public static PostingBlock ReadHeader(string path, VectorSpace space)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var first = new byte[PageSize];
        if (file.ReadAtLeast(first, PageSize, throwOnEndOfStream: false) < PageSize)
        {
            throw new StoreCorruptionException(path, 0, "the file is shorter than its first page");
        }

        FileHeader header = FileHeader.Read(first, FileHeader.SpannPostingsMagic, FormatVersion, path);
        ReadOnlySpan<byte> fields = first.AsSpan(FileHeader.Size, HeaderFields * 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(first.AsSpan(FileHeader.Size + fields.Length)) != Crc32C.Compute(fields))
        {
            throw new StoreCorruptionException(path, FileHeader.Size, "the posting file's description fails its checksum");
        }

        int dimension = BinaryPrimitives.ReadInt32LittleEndian(fields);
        var type = (VectorElementType)BinaryPrimitives.ReadInt32LittleEndian(fields[4..]);
        var metric = (VectorMetric)BinaryPrimitives.ReadInt32LittleEndian(fields[8..]);
        int codeSize = BinaryPrimitives.ReadInt32LittleEndian(fields[12..]);
        int blockPages = BinaryPrimitives.ReadInt32LittleEndian(fields[16..]);
        if (dimension != space.Dimension || type != space.ElementType || metric != space.Metric || codeSize != space.CodeSize)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"the postings hold {dimension}-d {type} {metric} codes of {codeSize} bytes, the collection {space.Dimension}-d {space.ElementType} {space.Metric} of {space.CodeSize}");
        }

        if ((ulong)blockPages != header.Value || blockPages != PostingBlock.PagesFor(codeSize))
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"blocks of {blockPages} pages do not fit codes of {codeSize} bytes");
        }

        return new PostingBlock(codeSize, blockPages * PageSize);
    }
}
