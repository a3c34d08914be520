using Store.Index;

namespace Store.Kv;

/// <summary>Settings of an open database. Every property has a documented default; <see cref="Validate"/> runs at open.</summary>
public sealed class DatabaseOptions
{
    /// <summary>Upper bound of <see cref="MaxKeyLength"/>: the index's limit less room for the expiry index's prefix.</summary>
    public const int MaxKeyLimit = BSkipList.MaxKeyLength - 16;

    /// <summary>Durability mode. Default <see cref="Kv.Durability.Batched"/>.</summary>
    public Durability Durability { get; init; } = Durability.Batched;

    /// <summary>Group-commit period in <see cref="Kv.Durability.Batched"/> mode. Default 2 ms; 100 µs .. 10 s.</summary>
    public TimeSpan GroupCommitInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Size of one log segment file in bytes: a power of two from 1 MiB to 1 GiB. Default 64 MiB.</summary>
    public int SegmentSize { get; init; } = 64 << 20;

    /// <summary>Longest key in bytes, 1 .. 65,520. Default 4,096. Empty keys are never accepted.</summary>
    public int MaxKeyLength { get; init; } = 4096;

    /// <summary>Longest value in bytes, 1 .. SegmentSize/4. Default 0: the smaller of 4 MiB and SegmentSize/4.</summary>
    public int MaxValueLength { get; init; }

    internal int EffectiveMaxValueLength => MaxValueLength > 0 ? MaxValueLength : Math.Min(4 << 20, SegmentSize / 4);

    /// <summary>Values of at least this many bytes are LZ4-compressed when that saves space; 0 turns compression off. Default 1,024.</summary>
    public int CompressionThreshold { get; init; } = 1024;

    /// <summary>Period of automatic checkpoints; <see cref="TimeSpan.Zero"/> checkpoints only at close and on demand. Default 1 minute.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Compaction starts when log bytes exceed this multiple of live bytes; 1.1 .. 10. Default 1.5.</summary>
    public double CompactionTrigger { get; init; } = 1.5;

    /// <summary>Period of the background sweep that removes expired keys; <see cref="TimeSpan.Zero"/> turns it off. Default 100 ms.</summary>
    public TimeSpan ActiveExpiryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Clock for TTLs and background work. Default <see cref="TimeProvider.System"/>; tests inject their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options of each keyspace's in-memory index. Default: <see cref="BSkipListOptions"/> defaults.</summary>
    public BSkipListOptions IndexOptions { get; init; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Check(Enum.IsDefined(Durability), nameof(Durability), Durability, "must be None, Batched or Always");
        Check(GroupCommitInterval >= TimeSpan.FromTicks(1000) && GroupCommitInterval <= TimeSpan.FromSeconds(10),
            nameof(GroupCommitInterval), GroupCommitInterval, "must be from 100 µs to 10 s");
        Check(SegmentSize is >= 1 << 20 and <= 1 << 30 && (SegmentSize & (SegmentSize - 1)) == 0,
            nameof(SegmentSize), SegmentSize, "must be a power of two from 1 MiB to 1 GiB");
        Check(MaxKeyLength is >= 1 and <= MaxKeyLimit, nameof(MaxKeyLength), MaxKeyLength, $"must be from 1 to {MaxKeyLimit}");
        Check(MaxValueLength >= 0 && MaxValueLength <= SegmentSize / 4, nameof(MaxValueLength), MaxValueLength, "must be 0 (automatic) or at most SegmentSize / 4");
        Check(CompressionThreshold >= 0, nameof(CompressionThreshold), CompressionThreshold, "must be 0 (off) or positive");
        Check(CheckpointInterval >= TimeSpan.Zero, nameof(CheckpointInterval), CheckpointInterval, "must not be negative");
        Check(CompactionTrigger is >= 1.1 and <= 10, nameof(CompactionTrigger), CompactionTrigger, "must be from 1.1 to 10");
        Check(ActiveExpiryInterval >= TimeSpan.Zero, nameof(ActiveExpiryInterval), ActiveExpiryInterval, "must not be negative");
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(IndexOptions, nameof(IndexOptions));
        IndexOptions.Validate();
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(DatabaseOptions)}.{field} {rule}.");
        }
    }
}
