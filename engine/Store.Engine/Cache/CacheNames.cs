using System.Text.RegularExpressions;

namespace Store.Cache;

/// <summary>Rules for cache and category names (letters, digits, '_', '-', '.'; 1 to 64).</summary>
internal static partial class CacheNames
{
    public static void CheckCache(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (!Name().IsMatch(name))
        {
            throw new ArgumentException($"A semantic cache name is 1 to 64 letters, digits, '_', '-' or '.' (not starting with '.'); got '{name}'.", parameter);
        }
    }

    public static void CheckCategory(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (!Name().IsMatch(name))
        {
            throw new ArgumentException($"A category name is 1 to 64 letters, digits, '_', '-' or '.' (not starting with '.'); got '{name}'.", parameter);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex Name();
}
