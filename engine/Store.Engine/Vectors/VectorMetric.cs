namespace Store.Vectors;

/// <summary>How distance between vectors is measured. For every metric a smaller distance means closer.</summary>
public enum VectorMetric
{
    /// <summary>Squared Euclidean distance.</summary>
    L2 = 1,

    /// <summary>One minus the cosine of the angle (0 for the same direction, 2 for opposite ones).</summary>
    Cosine = 2,

    /// <summary>The negated dot product (maximum inner product search).</summary>
    InnerProduct = 3,
}
