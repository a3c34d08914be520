namespace Store.Vectors;

/// <summary>
/// What a <see cref="TenantVectorIndex"/> is created with: the vectors' dimension, metric and element
/// type, and the shape of the shared clustering tree (after Curator). Validated when the index opens;
/// the exception names the bad field.
/// </summary>
public sealed class TenantIndexOptions
{
    /// <summary>Components per vector (1..16,384). Required.</summary>
    public required int Dimension { get; init; }

    /// <summary>How distance is measured. Default L2.</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.L2;

    /// <summary>How components are stored (one code per vector, held once). Default Float32.</summary>
    public VectorElementType ElementType { get; init; } = VectorElementType.Float32;

    /// <summary>Children per inner node of the clustering tree (k of the balanced k-means). Default 16.</summary>
    public int FanOut { get; init; } = 16;

    /// <summary>A node of the training sample with at most this many vectors becomes a leaf. Default 64.</summary>
    public int LeafSize { get; init; } = 64;

    /// <summary>Deepest level of the tree (the root is level 0). Default 8.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>
    /// A tenant's shortlist at an inner node is pushed down to the children once it holds more than this
    /// many ids; it merges back up once the tenant's ids beneath a node drop to half of it. Default 128 (Curator's).
    /// </summary>
    public int ShortlistBound { get; init; } = 128;

    /// <summary>Vectors the tree is trained on at most (a seeded sample of the vectors when there are more). Default 20,000.</summary>
    public int TrainingSample { get; init; } = 20_000;

    /// <summary>Rounds of balanced k-means per split. Default 8.</summary>
    public int KMeansIterations { get; init; } = 8;

    /// <summary>Candidates (ids measured exactly) a search stops after, unless <see cref="TenantSearchOptions"/> says otherwise. Default 512.</summary>
    public int SearchCandidates { get; init; } = 512;

    /// <summary>Seed of the training sample and the k-means starts, so a rebuild is repeatable. Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    internal void Validate()
    {
        const string Owner = nameof(TenantIndexOptions);
        OptionRule.Require(Dimension is >= 1 and <= VectorSpace.MaxDimension, Owner, nameof(Dimension), Dimension, $"must be 1 to {VectorSpace.MaxDimension}");
        OptionRule.Require(Enum.IsDefined(Metric), Owner, nameof(Metric), Metric, "must be L2, Cosine or InnerProduct");
        OptionRule.Require(Enum.IsDefined(ElementType), Owner, nameof(ElementType), ElementType, "must be a defined VectorElementType");
        OptionRule.Require(ElementType != VectorElementType.Int8PerDimensionScale, Owner, nameof(ElementType), ElementType, "cannot be Int8PerDimensionScale here (it needs scales); use Int8PerVectorScale");
        OptionRule.Require(FanOut is >= 2 and <= 256, Owner, nameof(FanOut), FanOut, "must be 2 to 256");
        OptionRule.Require(LeafSize is >= 2 and <= 1_000_000, Owner, nameof(LeafSize), LeafSize, "must be 2 to 1,000,000");
        OptionRule.Require(MaxDepth is >= 1 and <= 32, Owner, nameof(MaxDepth), MaxDepth, "must be 1 to 32");
        OptionRule.Require(ShortlistBound is >= 2 and <= 1_000_000, Owner, nameof(ShortlistBound), ShortlistBound, "must be 2 to 1,000,000");
        OptionRule.Require(TrainingSample >= FanOut, Owner, nameof(TrainingSample), TrainingSample, "must be at least FanOut");
        OptionRule.Require(KMeansIterations is >= 1 and <= 100, Owner, nameof(KMeansIterations), KMeansIterations, "must be 1 to 100");
        OptionRule.Require(SearchCandidates >= 1, Owner, nameof(SearchCandidates), SearchCandidates, "must be at least 1");
    }
}

/// <summary>Per-search knobs of a <see cref="TenantVectorIndex"/>; null fields take the index's defaults.</summary>
public sealed class TenantSearchOptions
{
    /// <summary>
    /// Ids measured exactly before the search stops (it always finishes the shortlist it is in, and goes on
    /// until it has k results or nothing of the tenant is left). Larger: better recall, slower.
    /// </summary>
    public int? Candidates { get; init; }
}

/// <summary>The shape of a <see cref="TenantVectorIndex"/>'s tree at one moment (for tests and reports).</summary>
/// <param name="Nodes">Nodes of the clustering tree.</param>
/// <param name="Leaves">Leaves among them.</param>
/// <param name="Depth">Levels below the root.</param>
/// <param name="Shortlists">Tenant shortlists held over all nodes.</param>
/// <param name="ShortlistEntries">Ids over all shortlists (one per vector and tenant that may access it).</param>
/// <param name="Splits">Shortlists pushed down to children since the index opened.</param>
/// <param name="Merges">Shortlists merged back up since the index opened.</param>
public readonly record struct TenantTreeStats(int Nodes, int Leaves, int Depth, long Shortlists, long ShortlistEntries, long Splits, long Merges);
