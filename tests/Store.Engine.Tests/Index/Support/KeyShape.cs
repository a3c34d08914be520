namespace Store.Tests.Index;

/// <summary>Families of keys used by the randomized model test.</summary>
public enum KeyShape
{
    /// <summary>200 short random keys (including the empty key): heavy overwrite and delete churn.</summary>
    SmallSpace,

    /// <summary>6,000 keys of length 0..40 over the bytes {0, 1, 2, 255}, many derived from each other so prefixes are shared.</summary>
    SharedPrefixes,

    /// <summary>8,000 eight-byte big-endian numbers: a dense run, random values and values around powers of two.</summary>
    BigEndianNumbers,
}
