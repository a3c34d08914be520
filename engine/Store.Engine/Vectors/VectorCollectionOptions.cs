namespace Store.Vectors;

/// <summary>Which index a vector collection searches with.</summary>
public enum VectorIndexKind
{
    /// <summary>Exact scan of every vector in memory: small collections, ground truth.</summary>
    Flat = 1,

    /// <summary>HNSW graph in memory over all vectors in memory.</summary>
    Hnsw = 2,

    /// <summary>SPANN: heads and their graph in memory, posting lists on disk; built by <see cref="VectorCollection.BuildIndex"/>.</summary>
    Spann = 3,
}

/// <summary>What a vector collection is, fixed when it is created. Validated at creation; the message names a bad field.</summary>
public sealed class VectorCollectionOptions
{
    /// <summary>Components per vector, 1 to 16,384. Required.</summary>
    public required int Dimension { get; init; }

    /// <summary>Distance measure. Default L2 (squared Euclidean).</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.L2;

    /// <summary>How components are stored. Default Float32.</summary>
    public VectorElementType ElementType { get; init; } = VectorElementType.Float32;

    /// <summary>Index kind. Default Hnsw.</summary>
    public VectorIndexKind Index { get; init; } = VectorIndexKind.Hnsw;

    /// <summary>HNSW parameters (Index = Hnsw).</summary>
    public HnswOptions Hnsw { get; init; } = new();

    /// <summary>SPANN parameters (Index = Spann).</summary>
    public SpannOptions Spann { get; init; } = new();

    /// <summary>
    /// Int8PerDimensionScale: one positive scale per dimension (component i is stored as round(v_i / s_i)).
    /// Null: estimated from the first <see cref="VectorCollection.AddRange"/> batch.
    /// </summary>
    public float[]? DimensionScales { get; init; }

    /// <summary>Largest payload per vector in bytes. Default 64 KiB; at most 1 MiB.</summary>
    public int MaxPayloadBytes { get; init; } = 64 * 1024;

    internal void Validate()
    {
        const string Owner = nameof(VectorCollectionOptions);
        OptionRule.Require(Dimension is >= 1 and <= VectorSpace.MaxDimension, Owner, nameof(Dimension), Dimension, $"must be 1 to {VectorSpace.MaxDimension}");
        OptionRule.Require(Enum.IsDefined(Metric), Owner, nameof(Metric), Metric, "must be L2, Cosine or InnerProduct");
        OptionRule.Require(Enum.IsDefined(ElementType), Owner, nameof(ElementType), ElementType, "is not a known element type");
        OptionRule.Require(Enum.IsDefined(Index), Owner, nameof(Index), Index, "must be Flat, Hnsw or Spann");
        OptionRule.Require(MaxPayloadBytes is >= 0 and <= 1 << 20, Owner, nameof(MaxPayloadBytes), MaxPayloadBytes, "must be 0 to 1 MiB");
        OptionRule.Require(DimensionScales is null || DimensionScales.Length == Dimension, Owner, nameof(DimensionScales), DimensionScales?.Length ?? 0, $"must hold {Dimension} scales, one per dimension");
        Hnsw.Validate($"{Owner}.{nameof(Hnsw)}");
        Spann.Validate($"{Owner}.{nameof(Spann)}");
    }
}
