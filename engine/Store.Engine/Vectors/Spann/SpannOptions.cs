namespace Store.Vectors;

/// <summary>
/// Parameters of a SPANN index (Chen et al., NeurIPS 2021; names after SPTAG's where they match).
/// Build parameters take effect at the next <see cref="VectorCollection.BuildIndex"/>; search defaults
/// can be overridden per query through <see cref="VectorSearchOptions"/>.
/// </summary>
public sealed class SpannOptions
{
    /// <summary>Share of the vectors chosen as heads (kept in memory, indexed by an HNSW). Default 0.16; 0.001 to 0.5.</summary>
    public double HeadRatio { get; init; } = 0.16;

    /// <summary>Most posting lists one vector is written to (closure replication). Default 8; 1 to 32.</summary>
    public int ReplicaCount { get; init; } = 8;

    /// <summary>Nearest heads considered when assigning a vector (SPTAG's InternalResultNum at build). Default 64.</summary>
    public int CandidateHeads { get; init; } = 64;

    /// <summary>
    /// The RNG rule's factor: a candidate head h is skipped for vector v when an already chosen head c has
    /// <c>RngFactor * d(h, c) &lt;= d(v, h)</c>. Default 1.0; 0.5 to 4.
    /// </summary>
    public double RngFactor { get; init; } = 1.0;

    /// <summary>Most vectors per posting list; the closest to the head are kept. Default 256; 8 to 65,536.</summary>
    public int MaxPostingVectors { get; init; } = 256;

    /// <summary>Clusters per split of the hierarchical balanced k-means. Default 32; 2 to 256.</summary>
    public int KMeansK { get; init; } = 32;

    /// <summary>Lloyd iterations per split. Default 8; 1 to 100.</summary>
    public int KMeansIterations { get; init; } = 8;

    /// <summary>Weight of cluster size against distance in the balanced assignment (0 = plain k-means). Default 1.0.</summary>
    public double BalanceFactor { get; init; } = 1.0;

    /// <summary>Seed of the clustering, so builds repeat. Default 7.</summary>
    public ulong Seed { get; init; } = 7;

    /// <summary>Graph over the heads. Default M 16, EfConstruction 200, EfSearch 16 (a search widens it to the lists it reads).</summary>
    public HnswOptions HeadGraph { get; init; } = new() { M = 16, EfConstruction = 200, EfSearch = 16 };

    /// <summary>Posting lists read per query by default (SPTAG's SearchInternalResultNum). Default 16.</summary>
    public int SearchLists { get; init; } = 16;

    /// <summary>
    /// Default pruning: list j is read only while <c>d(q, h_j) &lt;= (1 + Epsilon) d(q, h_1)</c> (distances as
    /// the metric gives them: squared for L2). Default 7 (SPTAG's MaxDistRatio 8 for recall@10).
    /// </summary>
    public float SearchEpsilon { get; init; } = 7f;

    /// <summary>
    /// Kept for compatibility; ignored since posting format 3 (blocks that take appends in place are stored
    /// uncompressed). Default true.
    /// </summary>
    public bool CompressPostings { get; init; } = true;

    /// <summary>
    /// Check each posting block's CRC32C whenever it is read (blocks are rewritten by updates, so every read
    /// checks). Default true.
    /// </summary>
    public bool VerifyPostings { get; init; } = true;

    /// <summary>
    /// Live updates (SPFresh): a list that falls below this many live vectors (having lost some since it was
    /// written) is merged away: its head leaves and its vectors are placed among the others. 0 turns merging
    /// off. Default 3; 0 to 64. (The paper uses 10 with larger lists; lists the build made small are left alone.)
    /// </summary>
    public int MergeThreshold { get; init; } = 3;

    /// <summary>
    /// Live updates: heads nearest a split list's old head whose lists are checked for vectors the split
    /// made misplaced (the paper's ReassignK, 64). Default 16; 0 to 512.
    /// </summary>
    public int ReassignHeads { get; init; } = 16;

    /// <summary>
    /// Live updates: after this many writes since the last index checkpoint the collection writes a new one
    /// (posting file fsynced, heads, directory and version map saved), which bounds the replay at open and
    /// lets freed posting blocks be reused. Default 10,000; 100 to 10,000,000.
    /// </summary>
    public int CheckpointChanges { get; init; } = 10_000;

    internal void Validate(string owner)
    {
        OptionRule.Require(HeadRatio is >= 0.001 and <= 0.5, owner, nameof(HeadRatio), HeadRatio, "must be 0.001 to 0.5");
        OptionRule.Require(ReplicaCount is >= 1 and <= 32, owner, nameof(ReplicaCount), ReplicaCount, "must be 1 to 32");
        OptionRule.Require(CandidateHeads >= ReplicaCount && CandidateHeads <= 512, owner, nameof(CandidateHeads), CandidateHeads, "must be ReplicaCount to 512");
        OptionRule.Require(RngFactor is >= 0.5 and <= 4, owner, nameof(RngFactor), RngFactor, "must be 0.5 to 4");
        OptionRule.Require(MaxPostingVectors is >= 8 and <= 65_536, owner, nameof(MaxPostingVectors), MaxPostingVectors, "must be 8 to 65536");
        OptionRule.Require(KMeansK is >= 2 and <= 256, owner, nameof(KMeansK), KMeansK, "must be 2 to 256");
        OptionRule.Require(KMeansIterations is >= 1 and <= 100, owner, nameof(KMeansIterations), KMeansIterations, "must be 1 to 100");
        OptionRule.Require(BalanceFactor is >= 0 and <= 100, owner, nameof(BalanceFactor), BalanceFactor, "must be 0 to 100");
        OptionRule.Require(SearchLists is >= 1 and <= 1024, owner, nameof(SearchLists), SearchLists, "must be 1 to 1024");
        OptionRule.Require(SearchEpsilon >= 0 && float.IsFinite(SearchEpsilon), owner, nameof(SearchEpsilon), SearchEpsilon, "must be a finite number >= 0");
        OptionRule.Require(MergeThreshold is >= 0 and <= 64, owner, nameof(MergeThreshold), MergeThreshold, "must be 0 to 64");
        OptionRule.Require(ReassignHeads is >= 0 and <= 512, owner, nameof(ReassignHeads), ReassignHeads, "must be 0 to 512");
        OptionRule.Require(CheckpointChanges is >= 100 and <= 10_000_000, owner, nameof(CheckpointChanges), CheckpointChanges, "must be 100 to 10000000");
        HeadGraph.Validate($"{owner}.{nameof(HeadGraph)}");
    }
}
