namespace Store.Cache;

/// <summary>
/// The adaptive load policy: when callers report the downstream model's load at or over
/// <see cref="HighWater"/>, thresholds relax and new entries live longer, until the load falls to
/// <see cref="LowWater"/> or below (hysteresis: between the marks the state holds). Strict
/// categories are never relaxed.
/// </summary>
public sealed record CacheLoadOptions
{
    /// <summary>Load (0..1 utilisation) at or over which the cache relaxes. Default 0.85.</summary>
    public double HighWater { get; init; } = 0.85;

    /// <summary>Load at or under which a relaxed cache returns to normal; below <see cref="HighWater"/>. Default 0.6.</summary>
    public double LowWater { get; init; } = 0.6;

    /// <summary>How much thresholds drop while relaxed (never below a category's minimum), 0..1. Default 0.05.</summary>
    public double ThresholdRelaxation { get; init; } = 0.05;

    /// <summary>Factor applied to TTLs of entries stored while relaxed (capped at the category's maximum), 1..100. Default 2.</summary>
    public double TtlExtension { get; init; } = 2.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first bad field.</summary>
    public void Validate()
    {
        Check(double.IsFinite(HighWater) && HighWater is > 0 and <= 1, nameof(HighWater), HighWater, "must be over 0 and at most 1");
        Check(double.IsFinite(LowWater) && LowWater >= 0 && LowWater < HighWater, nameof(LowWater), LowWater, "must be from 0 to below HighWater");
        Check(double.IsFinite(ThresholdRelaxation) && ThresholdRelaxation is >= 0 and <= 1, nameof(ThresholdRelaxation), ThresholdRelaxation, "must be from 0 to 1");
        Check(double.IsFinite(TtlExtension) && TtlExtension is >= 1 and <= 100, nameof(TtlExtension), TtlExtension, "must be from 1 to 100");
    }

    private static void Check(bool ok, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(field, value, $"{nameof(CacheLoadOptions)}.{field} {rule}.");
        }
    }
}
