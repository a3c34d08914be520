namespace Store.Index;

/// <summary>
/// Tuning knobs of a <see cref="BSkipList"/>. Every property has a documented default;
/// <see cref="Validate"/> runs when the list is constructed and names the bad field.
/// </summary>
public sealed class BSkipListOptions
{
    /// <summary>Smallest accepted <see cref="NodeCapacity"/>.</summary>
    public const int MinNodeCapacity = 8;

    /// <summary>Largest accepted <see cref="NodeCapacity"/>.</summary>
    public const int MaxNodeCapacity = 4096;

    /// <summary>
    /// Entries per node (the paper's B). Default 100: an entry costs 20 bytes
    /// (8-byte key prefix, 4-byte key reference, 8-byte value or child), so a node spans about 2 KB.
    /// A key is promoted one level with probability 1/(B/2).
    /// </summary>
    public int NodeCapacity { get; init; } = 100;

    /// <summary>
    /// Number of levels including the leaf level. Default 0 means "enough for 2^40 keys at the
    /// chosen <see cref="NodeCapacity"/>" (8 levels for B = 100). Accepted range 2..32.
    /// </summary>
    public int MaxLevels { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (NodeCapacity is < MinNodeCapacity or > MaxNodeCapacity)
        {
            throw new ArgumentOutOfRangeException(nameof(NodeCapacity), NodeCapacity,
                $"{nameof(BSkipListOptions)}.{nameof(NodeCapacity)} must be between {MinNodeCapacity} and {MaxNodeCapacity}.");
        }

        if (MaxLevels != 0 && MaxLevels is < 2 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLevels), MaxLevels,
                $"{nameof(BSkipListOptions)}.{nameof(MaxLevels)} must be 0 (automatic) or between 2 and 32.");
        }
    }

    internal int ResolveLevels()
    {
        if (MaxLevels != 0)
        {
            return MaxLevels;
        }

        double perLevel = Math.Log2(Math.Max(2, NodeCapacity / 2));
        return Math.Clamp((int)Math.Ceiling(40 / perLevel), 2, 32);
    }
}
