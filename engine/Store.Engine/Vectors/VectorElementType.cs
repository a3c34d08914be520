namespace Store.Vectors;

/// <summary>How a collection stores vector components.</summary>
public enum VectorElementType
{
    /// <summary>4-byte IEEE floats: exact.</summary>
    Float32 = 1,

    /// <summary>2-byte IEEE half floats: about 3 significant digits, range +-65504.</summary>
    Float16 = 2,

    /// <summary>Whole numbers 0..255, one byte each, stored exactly (e.g. pixels); other values are refused.</summary>
    UInt8 = 3,

    /// <summary>Whole numbers -128..127, one byte each, stored exactly; other values are refused.</summary>
    Int8 = 4,

    /// <summary>Any floats, quantized to -127..127 with one scale per vector (max |component| / 127).</summary>
    Int8PerVectorScale = 5,

    /// <summary>Any floats, quantized to -127..127 with one scale per dimension, fixed for the collection.</summary>
    Int8PerDimensionScale = 6,

    /// <summary>OCP float8 E4M3 (1 sign, 4 exponent, 3 mantissa bits; saturates at +-448).</summary>
    Float8E4M3 = 7,
}
