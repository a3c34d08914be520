using System.Diagnostics.CodeAnalysis;
using Microsoft.Win32.SafeHandles;

namespace Store.Vectors;

/// <summary>
/// Reads bulk vector files (TEXMEX .fvecs / .bvecs / .ivecs, IDX as used by MNIST and Fashion-MNIST,
/// raw float32) into a <see cref="VectorMatrix"/>. Files are streamed in large chunks straight into the
/// result; a file is never read whole into memory first.
/// </summary>
/// <remarks>
/// Only what is read is checked: with a <c>limit</c> below the file's vector count, the vectors after it
/// (and a truncated end) are not looked at. Errors name the file, the byte offset and what is wrong:
/// <see cref="StoreCorruptionException"/> for a malformed or truncated file (in a gzip-compressed file,
/// offsets past the header count bytes of the decompressed data), <see cref="UnsupportedFormatException"/>
/// for a file of another kind.
/// </remarks>
public static partial class VectorFileReader
{
    /// <summary>The stage name of the progress reports.</summary>
    private const string ProgressStage = "load";

    /// <summary>Progress is reported each time about this many more vectors are read.</summary>
    private const int ProgressInterval = 1 << 16;

    /// <summary>Bytes read per I/O call.</summary>
    private const int ChunkBytes = 4 << 20;

    /// <summary>Reads up to <paramref name="limit"/> vectors of a file as floats.</summary>
    /// <param name="path">The file.</param>
    /// <param name="format">
    /// The file's layout; <see cref="VectorFileFormat.Auto"/> picks it from the extension (.fvecs, .bvecs, .ivecs;
    /// .idx or -ubyte such as -idx3-ubyte, optionally followed by .gz, for IDX). An IDX file is decompressed when
    /// it starts with the gzip magic (1f 8b), whatever its name.
    /// </param>
    /// <param name="limit">The most vectors read, from the start of the file; 0 or more.</param>
    /// <param name="rawDimension">Floats per vector of a <see cref="VectorFileFormat.RawFloat32"/> file (1 to <see cref="VectorSpace.MaxDimension"/>); 0 for the other formats.</param>
    /// <param name="progress">Told ("load", vectors read, vectors to read) at the start, every 65,536 vectors or so and at the end.</param>
    /// <returns>The vectors; an empty .fvecs / .bvecs / .ivecs file gives 0 vectors of dimension 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The limit or raw dimension is out of range, the format is unknown, or the vectors to read would not fit in one array.</exception>
    /// <exception cref="UnsupportedFormatException"><see cref="VectorFileFormat.Auto"/> does not know the extension, or an IDX file has an unknown magic or element type.</exception>
    /// <exception cref="StoreCorruptionException">The file is malformed: a dimension out of range or unlike the first vector's, a truncated vector or header, IDX data past the header's count, or corrupt gzip data.</exception>
    /// <exception cref="InvalidVectorException">An .ivecs component float32 cannot hold exactly (beyond +-2^24); read such files with <see cref="ReadIvecs"/>.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static VectorMatrix Read(
        string path,
        VectorFileFormat format = VectorFileFormat.Auto,
        int limit = int.MaxValue,
        int rawDimension = 0,
        IProgress<VectorProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown vector file format.");
        }

        if (format == VectorFileFormat.Auto)
        {
            format = FormatOf(path);
        }

        if (format == VectorFileFormat.RawFloat32)
        {
            if (rawDimension is < 1 or > VectorSpace.MaxDimension)
            {
                throw new ArgumentOutOfRangeException(nameof(rawDimension), rawDimension,
                    $"A raw float32 file needs its dimension: 1 to {VectorSpace.MaxDimension}.");
            }

            return ReadRaw(path, rawDimension, limit, progress);
        }

        if (rawDimension != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rawDimension), rawDimension,
                $"The dimension is given only for RawFloat32 files; a {format} file declares its own, so pass 0.");
        }

        return format == VectorFileFormat.Idx ? ReadIdx(path, limit, progress) : ReadVecs(path, format, limit, progress);
    }

    /// <summary>Reads up to <paramref name="limit"/> vectors of an .ivecs file (such as a ground-truth file) as ints.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The most vectors read, from the start of the file; 0 or more.</param>
    /// <returns>One array of the file's dimension per vector; none for an empty file.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is negative.</exception>
    /// <exception cref="StoreCorruptionException">The file is malformed: a dimension out of range or unlike the first vector's, or a truncated vector.</exception>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static int[][] ReadIvecs(string path, int limit = int.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using SafeFileHandle file = OpenRead(path);
        var layout = VecsLayout.Of(file, path, sizeof(int));
        int count = layout.CountFor(limit);
        var sink = new IntRows(count == 0 ? [] : new int[count][]);
        var load = new LoadProgress(null, count);
        ReadRecords(file, path, layout, count, ref sink, ref load);
        if (limit > layout.Whole)
        {
            layout.CheckTail(file, path);
        }

        return sink.Rows;
    }

    /// <summary>The format <see cref="VectorFileFormat.Auto"/> picks for a file name.</summary>
    internal static VectorFileFormat FormatOf(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        bool gzip = name.EndsWith(".gz", StringComparison.Ordinal);
        string inner = gzip ? name[..^3] : name;
        if (inner.EndsWith(".idx", StringComparison.Ordinal) || inner.EndsWith("-ubyte", StringComparison.Ordinal))
        {
            return VectorFileFormat.Idx;
        }

        VectorFileFormat? vecs = Path.GetExtension(inner) switch
        {
            ".fvecs" => VectorFileFormat.Fvecs,
            ".bvecs" => VectorFileFormat.Bvecs,
            ".ivecs" => VectorFileFormat.Ivecs,
            _ => null,
        };
        if (vecs is { } known && !gzip)
        {
            return known;
        }

        throw new UnsupportedFormatException(path, vecs is null
            ? "has a name whose format VectorFileReader cannot tell (it knows .fvecs, .bvecs, .ivecs, and .idx or -ubyte, optionally with .gz, for IDX); pass the format"
            : $"is a gzip-compressed {vecs} file, which VectorFileReader does not read; decompress it first");
    }

    private static SafeFileHandle OpenRead(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);

    /// <summary>Reads at <paramref name="offset"/> until <paramref name="buffer"/> is full or the file ends; returns the bytes read.</summary>
    private static int ReadFull(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>Records of <paramref name="recordBytes"/> read per I/O call: up to <see cref="ChunkBytes"/>, and no more than <see cref="ProgressInterval"/>.</summary>
    private static int RecordsPerChunk(int recordBytes) => Math.Clamp(ChunkBytes / recordBytes, 1, ProgressInterval);

    /// <summary>The result array for <paramref name="count"/> vectors, refused when one array cannot hold them.</summary>
    private static float[] AllocateRows(string path, int count, int dimension, int limit)
    {
        long floats = (long)count * dimension;
        if (floats > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit,
                $"'{path}': {count} vectors of dimension {dimension} are {floats} floats, more than one array holds ({Array.MaxLength}); pass a limit of at most {Array.MaxLength / dimension}.");
        }

        return floats == 0 ? [] : GC.AllocateUninitializedArray<float>((int)floats);
    }

    [DoesNotReturn]
    private static void ThrowCorrupt(string path, long offset, string what) =>
        throw new StoreCorruptionException(path, offset, what);

    /// <summary>Reports progress at the start, every <see cref="ProgressInterval"/> vectors or so, and at the end.</summary>
    private struct LoadProgress
    {
        private readonly IProgress<VectorProgress>? _sink;
        private readonly long _total;
        private long _next;

        public LoadProgress(IProgress<VectorProgress>? sink, long total)
        {
            _sink = sink;
            _total = total;
            _next = ProgressInterval;
            sink?.Report(new VectorProgress(ProgressStage, 0, total));
        }

        public void Advance(long done)
        {
            if (_sink is not null && done >= _next && done < _total)
            {
                _sink.Report(new VectorProgress(ProgressStage, done, _total));
                _next = ((done / ProgressInterval) + 1) * ProgressInterval;
            }
        }

        public readonly void Finish()
        {
            if (_total > 0)
            {
                _sink?.Report(new VectorProgress(ProgressStage, _total, _total));
            }
        }
    }
}
