using System.Diagnostics.CodeAnalysis;

namespace Store.Vectors;

/// <summary>
/// Tenant names and the dense numbers the index uses for them (0, 1, 2... in order of first use).
/// A name is 1 to 128 characters of <c>A-Z a-z 0-9 _ - . : @</c>. Written under the index's write lock;
/// read concurrently by searches.
/// </summary>
internal sealed class TenantDirectory
{
    public const int MaxNameLength = 128;

    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public int Count => _names.Count;

    public string NameOf(int tenant) => _names[tenant];

    public bool TryGet(string name, out int tenant) => _numbers.TryGetValue(name, out tenant);

    /// <summary>The tenant's number, given one if new; <paramref name="added"/> says whether it was.</summary>
    public int GetOrAdd(string name, out bool added)
    {
        if (_numbers.TryGetValue(name, out int tenant))
        {
            added = false;
            return tenant;
        }

        tenant = _names.Count;
        _names.Add(name);
        _numbers.Add(name, tenant);
        added = true;
        return tenant;
    }

    /// <summary>Throws unless <paramref name="name"/> is a well-formed tenant name.</summary>
    public static void Check([NotNull] string? name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (name.Length is 0 or > MaxNameLength)
        {
            ThrowBadName(name, parameter, $"it has {name.Length} characters");
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '@'))
            {
                ThrowBadName(name, parameter, $"'{c}' (U+{(int)c:X4}) is not allowed");
            }
        }
    }

    [DoesNotReturn]
    private static void ThrowBadName(string name, string parameter, string why) =>
        throw new ArgumentException(
            $"Tenant id '{name}' is not well formed: {why}. A tenant id is 1 to {MaxNameLength} characters of A-Z a-z 0-9 _ - . : @.", parameter);
}
