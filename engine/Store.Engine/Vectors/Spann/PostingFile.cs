using System.Buffers.Binary;
using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// The SPANN posting file. Page 0: the 32-byte file header (magic "STORESPP", version, list count),
/// then dimension, element type, metric, code size, directory pages, list count and a CRC32C of
/// those fields. Pages 1..: the directory, 16 bytes per list (first page, page count, entry count),
/// then a CRC32C. Then every list starting on a 4 KiB page: a 16-byte list header (entry count,
/// CRC32C of the stored body, stored body length, flags), then the body: the int32 vector ids and
/// the codes, LZ4-compressed (flag 1) when that saves at least a tenth; zero padding to the page end.
/// </summary>
internal static class PostingFile
{
    public const uint FormatVersion = 2;
    public const int PageSize = DirectFile.Alignment;
    public const int ListHeaderSize = 16;
    public const int CompressedFlag = 1;
    private const int DirectoryEntrySize = 16;
    private const int HeaderFields = 6;

    /// <summary>Bytes of a list's body (ids and codes) before compression.</summary>
    public static long BodyBytes(int entries, int codeSize) => (long)entries * (sizeof(int) + codeSize);

    public static int PagesFor(long bytes) => (int)((bytes + PageSize - 1) / PageSize);

    /// <summary>
    /// Writes the file: lists[i] holds the vector ids of head i's list; <paramref name="codeOf"/> gives a
    /// vector's code. Lists are written first (so compressed sizes are known), then the directory and
    /// page 0; fsynced and renamed into place.
    /// </summary>
    public static void Write(string path, VectorSpace space, int[][] lists, Func<int, ReadOnlySpan<byte>> codeOf, bool compress)
    {
        int codeSize = space.CodeSize;
        compress &= Lz4.IsAvailable;
        int directoryPages = PagesFor(((long)lists.Length * DirectoryEntrySize) + 4);
        var directory = new byte[directoryPages * PageSize];
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            file.Write(new byte[(1 + directoryPages) * PageSize]); // page 0 and the directory, filled in last
            long page = 1 + directoryPages;
            byte[] body = [];
            byte[] packed = [];
            byte[] padded = [];
            for (int i = 0; i < lists.Length; i++)
            {
                int[] list = lists[i];
                int raw = (int)BodyBytes(list.Length, codeSize);
                if (body.Length < raw)
                {
                    body = new byte[raw];
                    packed = new byte[Lz4.MaxCompressedLength(raw)];
                }

                for (int j = 0; j < list.Length; j++)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(j * sizeof(int)), list[j]);
                    codeOf(list[j]).CopyTo(body.AsSpan((list.Length * sizeof(int)) + (j * codeSize)));
                }

                ReadOnlySpan<byte> stored = body.AsSpan(0, raw);
                int flags = 0;
                if (compress && raw > 0)
                {
                    int n = Lz4.Compress(stored, packed);
                    if (n > 0 && n <= raw - (raw / 10))
                    {
                        stored = packed.AsSpan(0, n);
                        flags = CompressedFlag;
                    }
                }

                int pages = PagesFor(ListHeaderSize + stored.Length);
                if (padded.Length < pages * PageSize)
                {
                    padded = new byte[pages * PageSize];
                }

                Span<byte> span = padded.AsSpan(0, pages * PageSize);
                span.Clear();
                BinaryPrimitives.WriteInt32LittleEndian(span, list.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32C.Compute(stored));
                BinaryPrimitives.WriteInt32LittleEndian(span[8..], stored.Length);
                BinaryPrimitives.WriteInt32LittleEndian(span[12..], flags);
                stored.CopyTo(span[ListHeaderSize..]);
                file.Write(span);

                Span<byte> entry = directory.AsSpan(i * DirectoryEntrySize, DirectoryEntrySize);
                BinaryPrimitives.WriteInt64LittleEndian(entry, page);
                BinaryPrimitives.WriteInt32LittleEndian(entry[8..], pages);
                BinaryPrimitives.WriteInt32LittleEndian(entry[12..], list.Length);
                page += pages;
            }

            int directoryBytes = lists.Length * DirectoryEntrySize;
            BinaryPrimitives.WriteUInt32LittleEndian(directory.AsSpan(directoryBytes), Crc32C.Compute(directory.AsSpan(0, directoryBytes)));
            var first = new byte[PageSize];
            new FileHeader(FileHeader.SpannPostingsMagic, FormatVersion, (ulong)lists.Length).Write(first);
            Span<byte> fields = first.AsSpan(FileHeader.Size, HeaderFields * 4);
            BinaryPrimitives.WriteInt32LittleEndian(fields, space.Dimension);
            BinaryPrimitives.WriteInt32LittleEndian(fields[4..], (int)space.ElementType);
            BinaryPrimitives.WriteInt32LittleEndian(fields[8..], (int)space.Metric);
            BinaryPrimitives.WriteInt32LittleEndian(fields[12..], codeSize);
            BinaryPrimitives.WriteInt32LittleEndian(fields[16..], directoryPages);
            BinaryPrimitives.WriteInt32LittleEndian(fields[20..], lists.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(FileHeader.Size + fields.Length), Crc32C.Compute(fields));
            file.Position = 0;
            file.Write(first);
            file.Write(directory);
            file.Flush(flushToDisk: true);
        }

        AtomicFile.Commit(temporary, path);
    }

    /// <summary>Reads and checks page 0 and the directory (ordinary reads: they are kept in memory).</summary>
    public static PostingDirectory ReadDirectory(string path, VectorSpace space)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
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
        int directoryPages = BinaryPrimitives.ReadInt32LittleEndian(fields[16..]);
        int count = BinaryPrimitives.ReadInt32LittleEndian(fields[20..]);
        if (dimension != space.Dimension || type != space.ElementType || metric != space.Metric || codeSize != space.CodeSize)
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"the postings hold {dimension}-d {type} {metric} codes of {codeSize} bytes, the collection {space.Dimension}-d {space.ElementType} {space.Metric} of {space.CodeSize}");
        }

        if ((ulong)count != header.Value || directoryPages != PagesFor(((long)count * DirectoryEntrySize) + 4))
        {
            throw new StoreCorruptionException(path, FileHeader.Size, $"the list count {count} and directory size {directoryPages} pages disagree");
        }

        var directory = new byte[directoryPages * PageSize];
        if (file.ReadAtLeast(directory, directory.Length, throwOnEndOfStream: false) < directory.Length)
        {
            throw new StoreCorruptionException(path, PageSize, "the file ends inside its list directory");
        }

        int directoryBytes = count * DirectoryEntrySize;
        if (BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(directoryBytes)) != Crc32C.Compute(directory.AsSpan(0, directoryBytes)))
        {
            throw new StoreCorruptionException(path, PageSize, "the list directory fails its checksum");
        }

        long fileLength = file.Length;
        var firstPages = new long[count];
        var pageCounts = new int[count];
        var entryCounts = new int[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = directory.AsSpan(i * DirectoryEntrySize, DirectoryEntrySize);
            firstPages[i] = BinaryPrimitives.ReadInt64LittleEndian(entry);
            pageCounts[i] = BinaryPrimitives.ReadInt32LittleEndian(entry[8..]);
            entryCounts[i] = BinaryPrimitives.ReadInt32LittleEndian(entry[12..]);
            if (firstPages[i] <= directoryPages || entryCounts[i] < 0 || pageCounts[i] < 1
                || pageCounts[i] > PagesFor(ListHeaderSize + Lz4.MaxCompressedLength((int)Math.Min(int.MaxValue / 2, BodyBytes(entryCounts[i], codeSize))))
                || (firstPages[i] + pageCounts[i]) * PageSize > fileLength)
            {
                throw new StoreCorruptionException(path, PageSize + (i * DirectoryEntrySize), $"list {i}'s place in the file is impossible (page {firstPages[i]}, {pageCounts[i]} pages, {entryCounts[i]} entries, file {fileLength} bytes)");
            }
        }

        return new PostingDirectory(firstPages, pageCounts, entryCounts);
    }
}

/// <summary>Where each posting list lies: first page, page count, entries (kept in memory).</summary>
internal sealed record PostingDirectory(long[] FirstPages, int[] PageCounts, int[] EntryCounts)
{
    public int Count => FirstPages.Length;

    public int MaxPages => PageCounts.Length == 0 ? 0 : PageCounts.Max();

    public long MemoryBytes => Count * 16L;
}
