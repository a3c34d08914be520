using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Store.Vectors;

/// <summary>The TEXMEX .fvecs / .bvecs / .ivecs files and raw float32 files.</summary>
public static partial class VectorFileReader
{
    private static VectorMatrix ReadVecs(string path, VectorFileFormat format, int limit, IProgress<VectorProgress>? progress)
    {
        using SafeFileHandle file = OpenRead(path);
        var layout = VecsLayout.Of(file, path, format == VectorFileFormat.Bvecs ? sizeof(byte) : sizeof(int));
        int count = layout.CountFor(limit);
        float[] data = AllocateRows(path, count, layout.Dimension, limit);
        var load = new LoadProgress(progress, count);
        switch (format)
        {
            case VectorFileFormat.Fvecs:
                var floats = new FloatRows(data, layout.Dimension);
                ReadRecords(file, path, layout, count, ref floats, ref load);
                break;
            case VectorFileFormat.Bvecs:
                var bytes = new ByteRows(data, layout.Dimension);
                ReadRecords(file, path, layout, count, ref bytes, ref load);
                break;
            default:
                var ints = new IntFloatRows(path, data, layout.Dimension);
                ReadRecords(file, path, layout, count, ref ints, ref load);
                break;
        }

        if (limit > layout.Whole)
        {
            layout.CheckTail(file, path);
        }

        load.Finish();
        return new VectorMatrix(count, layout.Dimension, data);
    }

    /// <summary>Reads the first <paramref name="count"/> records, checking each one's dimension, and hands their components to <paramref name="sink"/>.</summary>
    private static void ReadRecords<TSink>(SafeFileHandle file, string path, VecsLayout layout, int count, ref TSink sink, ref LoadProgress load)
        where TSink : struct, IRecordSink
    {
        if (count == 0)
        {
            return;
        }

        int record = layout.RecordBytes;
        int perChunk = Math.Min(count, RecordsPerChunk(record));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(perChunk * record);
        try
        {
            for (int first = 0; first < count; first += perChunk)
            {
                int records = Math.Min(perChunk, count - first);
                long offset = (long)first * record;
                Span<byte> chunk = buffer.AsSpan(0, records * record);
                int read = ReadFull(file, chunk, offset);
                if (read < chunk.Length)
                {
                    ThrowCorrupt(path, offset + read, $"the file ends inside vector {first + (read / record)} (it shrank while being read)");
                }

                for (int r = 0, at = 0; r < records; r++, at += record)
                {
                    int declared = BinaryPrimitives.ReadInt32LittleEndian(chunk.Slice(at, sizeof(int)));
                    if (declared != layout.Dimension)
                    {
                        ThrowDimensionMismatch(path, first + r, offset + at, declared, layout.Dimension);
                    }

                    sink.Put(first + r, chunk.Slice(at + sizeof(int), record - sizeof(int)), offset + at + sizeof(int));
                }

                load.Advance(first + records);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static VectorMatrix ReadRaw(string path, int dimension, int limit, IProgress<VectorProgress>? progress)
    {
        using SafeFileHandle file = OpenRead(path);
        long length = RandomAccess.GetLength(file);
        int record = dimension * sizeof(float);
        long whole = length / record;
        if (limit > whole && length % record != 0)
        {
            ThrowCorrupt(path, whole * record,
                $"the file ends inside vector {whole}: its length {length} is not a multiple of {record} bytes ({dimension} float32 per vector)");
        }

        int count = (int)Math.Min(limit, whole);
        float[] data = AllocateRows(path, count, dimension, limit);
        var load = new LoadProgress(progress, count);
        int perChunk = RecordsPerChunk(record);
        for (int first = 0; first < count; first += perChunk)
        {
            int records = Math.Min(perChunk, count - first);
            Span<float> rows = data.AsSpan(first * dimension, records * dimension);
            long offset = (long)first * record;
            int read = ReadFull(file, MemoryMarshal.AsBytes(rows), offset);
            if (read < records * record)
            {
                ThrowCorrupt(path, offset + read, $"the file ends inside vector {first + (read / record)} (it shrank while being read)");
            }

            if (!BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(rows), MemoryMarshal.Cast<float, int>(rows));
            }

            load.Advance(first + records);
        }

        load.Finish();
        return new VectorMatrix(count, dimension, data);
    }

    [DoesNotReturn]
    private static void ThrowDimensionMismatch(string path, long vector, long offset, int declared, int first) =>
        throw new StoreCorruptionException(path, offset, $"vector {vector} declares dimension {declared}, the file's first vector has {first}");

    /// <summary>Takes the components of one record.</summary>
    private interface IRecordSink
    {
        /// <summary>The components of vector <paramref name="index"/>, which start at byte <paramref name="offset"/> of the file.</summary>
        void Put(int index, ReadOnlySpan<byte> components, long offset);
    }

    /// <summary>
    /// A file of records that all have the first record's dimension: <see cref="Whole"/> complete records,
    /// then <see cref="TailBytes"/> of a truncated one. Dimension 0 for an empty file.
    /// </summary>
    private readonly record struct VecsLayout(int Dimension, int ElementBytes, long Whole, long TailBytes)
    {
        /// <summary>Bytes of one record: the int32 dimension, then the components (at most 4 + 4 x 16,384).</summary>
        public int RecordBytes => sizeof(int) + (Dimension * ElementBytes);

        /// <summary>Reads the first record's dimension and sizes the file by it.</summary>
        public static VecsLayout Of(SafeFileHandle file, string path, int elementBytes)
        {
            long length = RandomAccess.GetLength(file);
            if (length == 0)
            {
                return new VecsLayout(0, elementBytes, 0, 0);
            }

            Span<byte> head = stackalloc byte[sizeof(int)];
            if (ReadFull(file, head, 0) < head.Length)
            {
                ThrowCorrupt(path, 0, $"the file ends inside vector 0's dimension (the file is {length} bytes long)");
            }

            int dimension = BinaryPrimitives.ReadInt32LittleEndian(head);
            if (dimension is < 1 or > VectorSpace.MaxDimension)
            {
                string gzip = head[0] == 0x1f && head[1] == 0x8b ? "; the file starts like gzip data (1f 8b): decompress it first" : "";
                ThrowCorrupt(path, 0, $"vector 0 declares dimension {dimension}; a dimension is 1 to {VectorSpace.MaxDimension}{gzip}");
            }

            long record = sizeof(int) + ((long)dimension * elementBytes);
            return new VecsLayout(dimension, elementBytes, length / record, length % record);
        }

        /// <summary>The records read for a limit.</summary>
        public int CountFor(int limit) => (int)Math.Min(limit, Whole);

        /// <summary>Throws when the file ends in a partial record (after <see cref="Whole"/> whole ones).</summary>
        public void CheckTail(SafeFileHandle file, string path)
        {
            if (TailBytes == 0)
            {
                return;
            }

            long offset = Whole * RecordBytes;
            Span<byte> head = stackalloc byte[sizeof(int)];
            if (TailBytes >= head.Length && ReadFull(file, head, offset) == head.Length)
            {
                int declared = BinaryPrimitives.ReadInt32LittleEndian(head);
                if (declared != Dimension)
                {
                    ThrowDimensionMismatch(path, Whole, offset, declared, Dimension);
                }
            }

            ThrowCorrupt(path, offset, $"the file ends inside vector {Whole}: {TailBytes} of its {RecordBytes} bytes are there");
        }
    }

    /// <summary>.fvecs components into rows of floats.</summary>
    private readonly struct FloatRows(float[] data, int dimension) : IRecordSink
    {
        private readonly float[] _data = data;
        private readonly int _dimension = dimension;

        public void Put(int index, ReadOnlySpan<byte> components, long offset) =>
            ComponentConversion.CopyFloats(components, _data.AsSpan(index * _dimension, _dimension));
    }

    /// <summary>.bvecs components into rows of floats.</summary>
    private readonly struct ByteRows(float[] data, int dimension) : IRecordSink
    {
        private readonly float[] _data = data;
        private readonly int _dimension = dimension;

        public void Put(int index, ReadOnlySpan<byte> components, long offset) =>
            ComponentConversion.WidenBytes(components, _data.AsSpan(index * _dimension, _dimension));
    }

    /// <summary>.ivecs components into rows of floats, refusing ints float32 cannot hold exactly.</summary>
    private readonly struct IntFloatRows(string path, float[] data, int dimension) : IRecordSink
    {
        private readonly string _path = path;
        private readonly float[] _data = data;
        private readonly int _dimension = dimension;

        public void Put(int index, ReadOnlySpan<byte> components, long offset)
        {
            int inexact = ComponentConversion.IntsToFloats(components, _data.AsSpan(index * _dimension, _dimension));
            if (inexact >= 0)
            {
                ThrowInexact(_path, index, inexact, offset + (inexact * sizeof(int)), BinaryPrimitives.ReadInt32LittleEndian(components[(inexact * sizeof(int))..]));
            }
        }

        [DoesNotReturn]
        private static void ThrowInexact(string path, int vector, int component, long offset, int value) =>
            throw new InvalidVectorException(
                $"'{path}': component {component} of vector {vector} (offset {offset}) is {value}, which float32 cannot hold exactly; read the file with VectorFileReader.ReadIvecs to keep its ints.");
    }

    /// <summary>.ivecs components into one int array per record.</summary>
    private readonly struct IntRows(int[][] rows) : IRecordSink
    {
        public int[][] Rows { get; } = rows;

        public void Put(int index, ReadOnlySpan<byte> components, long offset) => Rows[index] = ComponentConversion.Ints(components);
    }
}
