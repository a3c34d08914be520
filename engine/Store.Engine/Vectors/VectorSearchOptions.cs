namespace Store.Vectors;

/// <summary>Per-query search knobs; a null field takes the collection's default.</summary>
public sealed class VectorSearchOptions
{
    /// <summary>HNSW beam width (the collection's HNSW, or SPANN's head graph).</summary>
    public int? Ef { get; init; }

    /// <summary>SPANN: most posting lists read.</summary>
    public int? Lists { get; init; }

    /// <summary>SPANN: list j is read only while d(q, h_j) &lt;= (1 + Epsilon) d(q, h_1).</summary>
    public float? Epsilon { get; init; }
}

/// <summary>One search result: the vector's id and its distance to the query (smaller is closer).</summary>
public readonly record struct VectorMatch(long Id, float Distance);

/// <summary>Progress of a long vector operation: a stage name and how far it is.</summary>
public readonly record struct VectorProgress(string Stage, long Done, long Total);
