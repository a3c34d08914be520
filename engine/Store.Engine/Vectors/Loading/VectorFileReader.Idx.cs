using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.IO.Compression;

namespace Store.Vectors;

/// <summary>IDX files (MNIST, Fashion-MNIST), plain or gzip-compressed.</summary>
public static partial class VectorFileReader
{
    /// <summary>The IDX element type code of unsigned bytes, the only one read.</summary>
    private const byte IdxUnsignedByte = 0x08;

    /// <summary>The shortest gzip file: a 10-byte header, an empty deflate block, the 8-byte trailer.</summary>
    private const int GzipMinimumLength = 18;

    private static VectorMatrix ReadIdx(string path, int limit, IProgress<VectorProgress>? progress)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        Span<byte> magic = stackalloc byte[2];
        bool gzip = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) == magic.Length && magic[0] == 0x1f && magic[1] == 0x8b;
        if (!gzip)
        {
            file.Position = 0;
            return ReadIdx(path, file, file.Length, -1, limit, progress);
        }

        // The trailer's ISIZE: the decompressed length mod 2^32 (of the last member, for a multi-member file).
        long isize = -1;
        if (file.Length >= GzipMinimumLength)
        {
            Span<byte> trailer = stackalloc byte[4];
            file.Position = file.Length - trailer.Length;
            file.ReadExactly(trailer);
            isize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        }

        file.Position = 0;
        using var unzipped = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        try
        {
            return ReadIdx(path, unzipped, -1, isize, limit, progress);
        }
        catch (InvalidDataException e)
        {
            throw new StoreCorruptionException(path, file.Position, $"the gzip data is damaged (the decompressor reports: {e.Message})");
        }
    }

    /// <summary>
    /// Reads an IDX stream. <paramref name="length"/> is the plain file's length, or -1 for decompressed data,
    /// whose gzip trailer gives <paramref name="isize"/> (-1 when unknown).
    /// </summary>
    private static VectorMatrix ReadIdx(string path, Stream source, long length, long isize, int limit, IProgress<VectorProgress>? progress)
    {
        string where = length < 0 ? " (offsets count decompressed bytes)" : "";
        var (declared, width, headerBytes) = ReadIdxHeader(path, source, where);
        int count = Math.Min(limit, declared);
        long expected = headerBytes + ((long)declared * width);
        if (length >= 0)
        {
            if (length > expected && count == declared)
            {
                ThrowCorrupt(path, expected, $"{length - expected} bytes follow the last of the {declared} vectors the IDX header declares");
            }

            if (length < headerBytes + ((long)count * width))
            {
                ThrowIdxEnds(path, headerBytes, length - headerBytes, width, declared, where);
            }
        }

        // Decompressed data is trusted to be as long as the header says only when the gzip trailer agrees;
        // otherwise (a damaged header, a truncated or multi-member file) the array grows as data arrives,
        // so a corrupt count cannot make it allocate gigabytes up front.
        bool sized = length >= 0 || isize == (expected & uint.MaxValue);
        long total = (long)count * width;
        float[] data = sized || total <= ChunkBytes ? AllocateRows(path, count, width, limit) : GC.AllocateUninitializedArray<float>(ChunkBytes);
        var load = new LoadProgress(progress, count);
        int chunk = RecordsPerChunk(width) * width;
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(chunk, Math.Max(1, total)));
        try
        {
            for (long done = 0; done < total;)
            {
                int want = (int)Math.Min(chunk, total - done);
                int read = source.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (read < want)
                {
                    ThrowIdxEnds(path, headerBytes, done + read, width, declared, where);
                }

                if (done + read > data.Length)
                {
                    data = Grow(path, data, done + read, count, width, limit);
                }

                ComponentConversion.WidenBytes(buffer.AsSpan(0, read), data.AsSpan((int)done, read));
                done += read;
                load.Advance(done / width);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (length < 0 && count == declared && source.ReadByte() >= 0)
        {
            ThrowCorrupt(path, expected, $"the data goes on past the last of the {declared} vectors the IDX header declares{where}");
        }

        if (data.Length != total)
        {
            Array.Resize(ref data, (int)total);
        }

        load.Finish();
        return new VectorMatrix(count, width, data);
    }

    /// <summary>Reads and checks the magic and sizes: the vector count, the floats per vector and the header's length.</summary>
    private static (int Declared, int Width, int HeaderBytes) ReadIdxHeader(string path, Stream source, string where)
    {
        Span<byte> head = stackalloc byte[4 * 256];
        if (source.ReadAtLeast(head[..4], 4, throwOnEndOfStream: false) < 4)
        {
            ThrowCorrupt(path, 0, $"the file ends inside the IDX magic{where}");
        }

        uint magic = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (head[0] != 0 || head[1] != 0)
        {
            throw new UnsupportedFormatException(path,
                $"starts with 0x{magic:X8}, not an IDX magic (00 00, the element type, the number of dimensions)");
        }

        if (head[2] != IdxUnsignedByte)
        {
            throw new UnsupportedFormatException(path,
                $"is an IDX file of element type 0x{head[2]:X2} (magic 0x{magic:X8}); only unsigned bytes (0x08) are read");
        }

        int dimensions = head[3];
        if (dimensions == 0)
        {
            ThrowCorrupt(path, 3, "the IDX header declares 0 dimensions; there must be at least the item count");
        }

        int headerBytes = 4 + (4 * dimensions);
        Span<byte> sizes = head[4..headerBytes];
        if (source.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false) < sizes.Length)
        {
            ThrowCorrupt(path, 4, $"the file ends inside the IDX header, which declares {dimensions} sizes{where}");
        }

        var shape = new int[dimensions];
        long width = 1;
        for (int i = 0; i < dimensions; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(sizes[(4 * i)..]);
            if (size > int.MaxValue)
            {
                ThrowCorrupt(path, 4 + (4 * i), $"IDX size {i} is {size}, more than an int32 holds");
            }

            shape[i] = (int)size;
            if (i > 0)
            {
                width = Math.Min(width * size, VectorSpace.MaxDimension + 1L);
            }
        }

        if (width is < 1 or > VectorSpace.MaxDimension)
        {
            string components = width > VectorSpace.MaxDimension ? $"more than {VectorSpace.MaxDimension}" : $"{width}";
            ThrowCorrupt(path, 8,
                $"the IDX header declares items of {string.Join(" x ", shape[1..])} = {components} components; a dimension is 1 to {VectorSpace.MaxDimension}");
        }

        return (shape[0], (int)width, headerBytes);
    }

    /// <summary>A larger copy of <paramref name="data"/> holding at least <paramref name="needed"/> floats (doubling, up to count x width).</summary>
    private static float[] Grow(string path, float[] data, long needed, int count, int width, int limit)
    {
        if (needed > Array.MaxLength)
        {
            AllocateRows(path, count, width, limit);
        }

        long total = Math.Min((long)count * width, Array.MaxLength);
        var grown = GC.AllocateUninitializedArray<float>((int)Math.Min(total, Math.Max(needed, 2L * data.Length)));
        data.CopyTo(grown, 0);
        return grown;
    }

    /// <summary>Throws for IDX data that ends after <paramref name="present"/> bytes, short of what the header declares.</summary>
    [DoesNotReturn]
    private static void ThrowIdxEnds(string path, int headerBytes, long present, int width, int declared, string where)
    {
        long vector = present / width;
        ThrowCorrupt(path, headerBytes + (vector * width), present % width == 0
            ? $"the file ends after {vector} of the {declared} vectors the IDX header declares{where}"
            : $"the file ends inside vector {vector} (the IDX header declares {declared}){where}");
    }
}
