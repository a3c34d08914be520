namespace Store.Cache;

/// <summary>How a category answers lookups (after the semantic router's modes).</summary>
public enum CacheMode
{
    /// <summary>Exact match of the normalized prompt first, then the nearest neighbours. The default.</summary>
    ExactThenSemantic,

    /// <summary>Only an exact match of the normalized prompt within the partition and category.</summary>
    Exact,

    /// <summary>Only the nearest neighbours (an identical prompt is still found, at similarity ~1).</summary>
    Semantic,

    /// <summary>The category is not cached: lookups bypass, stores are dropped.</summary>
    Off,
}

/// <summary>Which entry a category gives up first when over its quota (expired entries always go first).</summary>
public enum CacheEvictionOrder
{
    /// <summary>Least recently hit (or stored, if never hit). The default.</summary>
    LeastRecentlyUsed,

    /// <summary>Fewest hits; ties go to the least recently used.</summary>
    LeastFrequentlyUsed,

    /// <summary>Stored longest ago.</summary>
    Oldest,
}
