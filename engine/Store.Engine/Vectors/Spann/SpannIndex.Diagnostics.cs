namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    /// <summary>
    /// Diagnostics (tests): every entry of vector <paramref name="id"/> in the lists, whether its version is current,
    /// whether its head is deleted in the graph, and whether a wide head search from the vector reaches it.
    /// </summary>
    internal string DescribePlacement(int id)
    {
        (List<int> unreachable, List<int> stranded) = Graph.FindCutOff();
        var lines = new List<string>
        {
            $"vector {id}: version byte {Versions[id]:x2}, heads {HeadCount} ({LiveHeadCount} live), live heads unreachable: [{string.Join(", ", unreachable)}], landing heads stranded: [{string.Join(", ", stranded)}]",
        };
        var entries = new ListEntries();
        var currentIn = new List<int>();
        byte[]? code = null;
        for (int h = 0; h < HeadCount; h++)
        {
            if (ListOf(h) is not { } list)
            {
                continue;
            }

            ReadList(h, list, entries);
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries.Ids[i] == id)
                {
                    code ??= entries.CodeAt(i).ToArray();
                    bool current = entries.Versions[i] == Versions[id];
                    if (current)
                    {
                        currentIn.Add(h);
                    }

                    lines.Add($"  in list {h} (count {list.Count}) version {entries.Versions[i]:x2}{(current ? " CURRENT" : string.Empty)}, head deleted in graph: {Graph.IsDeleted(h)}, head vector {HeadVectorOf(h)}");
                }
            }
        }

        if (code is not null)
        {
            int n = HeadCount;
            var distances = new float[n];
            var heads = new int[n];
            int found = Graph.Search(code, n, distances, heads);
            lines.Add($"  a search of width {n} from its code returns {found} heads; first: {string.Join(", ", heads.Take(Math.Min(found, 8)))}");
            foreach (int h in currentIn)
            {
                lines.Add($"  head {h} reached: {heads.AsSpan(0, found).Contains(h)}");
            }
        }

        return string.Join('\n', lines);
    }
}
