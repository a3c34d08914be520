namespace Store.Vectors;

/// <summary>A vector collection name that the database does not have.</summary>
public sealed class VectorCollectionNotFoundException(string name)
    : StoreException($"Vector collection '{name}' does not exist. Create it with Database.CreateVectorCollection(\"{name}\", options).")
{
    /// <summary>The name asked for.</summary>
    public string Name { get; } = name;
}

/// <summary>A vector whose length is not the collection's dimension.</summary>
public sealed class VectorDimensionException(int expected, int actual)
    : StoreException($"The vector has {actual} components; this collection holds vectors of dimension {expected}.")
{
    /// <summary>The collection's dimension.</summary>
    public int Expected { get; } = expected;

    /// <summary>The length given.</summary>
    public int Actual { get; } = actual;
}

/// <summary>
/// A vector the collection cannot store or search with: a NaN or infinite component, a zero vector
/// under the cosine metric, or a component a raw integer element type cannot hold exactly.
/// </summary>
public sealed class InvalidVectorException(string message) : StoreException(message);
