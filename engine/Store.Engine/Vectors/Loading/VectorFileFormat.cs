namespace Store.Vectors;

/// <summary>The layout of a bulk vector file read by <see cref="VectorFileReader"/>.</summary>
public enum VectorFileFormat
{
    /// <summary>
    /// Chosen from the file name: <c>.fvecs</c>, <c>.bvecs</c>, <c>.ivecs</c>, or IDX for names ending
    /// <c>.idx</c> or <c>-ubyte</c> (such as <c>-idx3-ubyte</c>), each IDX name optionally followed by <c>.gz</c>.
    /// </summary>
    Auto,

    /// <summary>TEXMEX float vectors: per vector an int32 little-endian dimension, then that many little-endian float32.</summary>
    Fvecs,

    /// <summary>TEXMEX byte vectors: per vector an int32 little-endian dimension, then that many unsigned bytes.</summary>
    Bvecs,

    /// <summary>TEXMEX int vectors: per vector an int32 little-endian dimension, then that many little-endian int32.</summary>
    Ivecs,

    /// <summary>
    /// IDX (MNIST, Fashion-MNIST): a big-endian header (magic <c>00 00 08 n</c>: unsigned bytes, n dimensions;
    /// then n int32 sizes, the first the vector count), then the bytes. Every item is one vector of the
    /// product of the other sizes (28 x 28 = 784 for MNIST images, 1 for label files). Plain or gzip-compressed.
    /// </summary>
    Idx,

    /// <summary>Consecutive little-endian float32 with no header; the dimension is given by the caller.</summary>
    RawFloat32,
}
