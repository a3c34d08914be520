namespace Store.Vectors;

/// <summary>The check every vector options validator runs per field: the exception names the field with its owner.</summary>
internal static class OptionRule
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for <c>owner.field</c> unless <paramref name="ok"/>.</summary>
    public static void Require(bool ok, string owner, string field, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException($"{owner}.{field}", value, $"{owner}.{field} {rule}.");
        }
    }
}
