using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// The TEXMEX vector files the ANN tools share: every record is an int32 dimension (little-endian)
/// then that many components, float32 (.fvecs), int32 (.ivecs) or bytes (.bvecs).
/// </summary>
internal static class VecsFile
{
    /// <summary>Reads up to <paramref name="maxRows"/> float32 records as one row-major array.</summary>
    public static (float[] Values, int Rows, int Dimension) ReadFloats(string path, int maxRows = int.MaxValue)
    {
        var (bytes, rows, dimension) = ReadRecords(path, sizeof(float), maxRows);
        return (MemoryMarshal.Cast<byte, float>(bytes).ToArray(), rows, dimension);
    }

    /// <summary>Reads up to <paramref name="maxRows"/> int32 records as one row-major array.</summary>
    public static (int[] Values, int Rows, int Dimension) ReadInts(string path, int maxRows = int.MaxValue)
    {
        var (bytes, rows, dimension) = ReadRecords(path, sizeof(int), maxRows);
        return (MemoryMarshal.Cast<byte, int>(bytes).ToArray(), rows, dimension);
    }

    public static void WriteFloats(string path, ReadOnlySpan<float> values, int dimension) =>
        Write(path, MemoryMarshal.AsBytes(values), dimension, sizeof(float));

    public static void WriteInts(string path, ReadOnlySpan<int> values, int dimension) =>
        Write(path, MemoryMarshal.AsBytes(values), dimension, sizeof(int));

    /// <summary>The record count of a file of <paramref name="dimension"/>-component records, or -1 when its length does not fit.</summary>
    public static long RowsOf(string path, int dimension, int elementBytes)
    {
        long record = 4 + ((long)dimension * elementBytes);
        long length = new FileInfo(path).Length;
        return length % record == 0 ? length / record : -1;
    }

    private static (byte[] Components, int Rows, int Dimension) ReadRecords(string path, int elementBytes, int maxRows)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> head = stackalloc byte[4];
        stream.ReadExactly(head);
        int dimension = BinaryPrimitives.ReadInt32LittleEndian(head);
        long record = 4 + ((long)dimension * elementBytes);
        if (dimension <= 0 || stream.Length % record != 0)
        {
            throw new InvalidDataException($"{path}: length {stream.Length} is not a whole number of {dimension}-component records");
        }

        int rows = (int)Math.Min(maxRows, stream.Length / record);
        int rowBytes = dimension * elementBytes;
        var components = new byte[(long)rows * rowBytes];
        stream.Position = 0;
        for (int row = 0; row < rows; row++)
        {
            stream.ReadExactly(head);
            if (BinaryPrimitives.ReadInt32LittleEndian(head) != dimension)
            {
                throw new InvalidDataException($"{path}: record {row} has another dimension");
            }

            stream.ReadExactly(components, row * rowBytes, rowBytes);
        }

        return (components, rows, dimension);
    }

    private static void Write(string path, ReadOnlySpan<byte> components, int dimension, int elementBytes)
    {
        int rowBytes = dimension * elementBytes;
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            Span<byte> head = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(head, dimension);
            for (int offset = 0; offset < components.Length; offset += rowBytes)
            {
                stream.Write(head);
                stream.Write(components.Slice(offset, rowBytes));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
