namespace Store.Vectors;

/// <summary>Parameters of an HNSW graph (Malkov and Yashunin). Defaults suit most embeddings.</summary>
public sealed class HnswOptions
{
    /// <summary>Links per node on the upper layers (twice as many on the bottom one). Default 16; 4 to 128.</summary>
    public int M { get; init; } = 16;

    /// <summary>Beam width while inserting: larger builds slower and searches better. Default 200; at least M.</summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>Default beam width while searching (per query: <see cref="VectorSearchOptions.Ef"/>). Default 64.</summary>
    public int EfSearch { get; init; } = 64;

    /// <summary>Seed of the level draw, so a build is reproducible. Default 42.</summary>
    public ulong Seed { get; init; } = 42;

    internal void Validate(string owner)
    {
        OptionRule.Require(M is >= 4 and <= 128, owner, nameof(M), M, "must be 4 to 128");
        OptionRule.Require(EfConstruction >= M && EfConstruction <= 4096, owner, nameof(EfConstruction), EfConstruction, "must be at least M and at most 4096");
        OptionRule.Require(EfSearch is >= 1 and <= 4096, owner, nameof(EfSearch), EfSearch, "must be 1 to 4096");
    }
}
