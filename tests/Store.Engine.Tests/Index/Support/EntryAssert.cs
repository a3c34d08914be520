using Xunit.Sdk;

namespace Store.Tests.Index;

/// <summary>Compares entry sequences and reports the first difference with readable keys.</summary>
internal static class EntryAssert
{
    public static void Equal(IReadOnlyList<Entry> expected, IReadOnlyList<Entry> actual, string what)
    {
        int common = Math.Min(expected.Count, actual.Count);
        for (int i = 0; i < common; i++)
        {
            if (!ByteKeyComparer.Equal(expected[i].Key, actual[i].Key) || expected[i].Value != actual[i].Value)
            {
                throw new XunitException(
                    $"{what}: entry #{i} differs: expected {expected[i]}, actual {actual[i]} " +
                    $"(expected {expected.Count} entries, got {actual.Count})");
            }
        }

        if (expected.Count != actual.Count)
        {
            string extra = expected.Count > actual.Count
                ? $"first missing {expected[common]}"
                : $"first unexpected {actual[common]}";
            throw new XunitException(
                $"{what}: expected {expected.Count} entries, got {actual.Count}; {extra}");
        }
    }

    /// <summary>Keys strictly increasing (so no key twice and none out of order).</summary>
    public static void StrictlyIncreasing(IReadOnlyList<Entry> entries, string what)
    {
        for (int i = 1; i < entries.Count; i++)
        {
            if (ByteKeyComparer.Instance.Compare(entries[i - 1].Key, entries[i].Key) >= 0)
            {
                throw new XunitException(
                    $"{what}: keys not strictly increasing at #{i}: {entries[i - 1]} then {entries[i]}");
            }
        }
    }
}
