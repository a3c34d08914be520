using System.Text;

namespace Store.Bench.Peers.Ann;

/// <summary>
/// The SPTAG configuration of the shared peers (sptag_fmnist.ini), rewritten for a data directory
/// exactly as sptag_run.sh rewrites it with sed for uint8 (paths, ValueType=UInt8, .bvecs files), so
/// the index the suite builds and times is the one sptag_run.sh then searches; plus per-stage
/// switches (build only; nothing at all).
/// </summary>
internal static class SptagIni
{
    /// <summary>The uint8 ini of sptag_run.sh for <paramref name="dataDirectory"/> and its work folder.</summary>
    public static string ForUInt8(string template, string dataDirectory, string workDirectory)
    {
        var text = new StringBuilder();
        foreach (string line in template.Split('\n'))
        {
            // sed -e "s|DATA/spann|$work/spann|; s|DATA/result|$work/result|; s|TmpDir=DATA/|TmpDir=$work/|; s|DATA|$dir|g"
            //     -e 's/ValueType=Float/ValueType=UInt8/; s/\.fvecs/.bvecs/g'
            string l = ReplaceFirst(line, "DATA/spann", workDirectory + "/spann");
            l = ReplaceFirst(l, "DATA/result", workDirectory + "/result");
            l = ReplaceFirst(l, "TmpDir=DATA/", "TmpDir=" + workDirectory + "/");
            l = l.Replace("DATA", dataDirectory, StringComparison.Ordinal);
            l = ReplaceFirst(l, "ValueType=Float", "ValueType=UInt8");
            l = l.Replace(".fvecs", ".bvecs", StringComparison.Ordinal);
            text.Append(l).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary><paramref name="ini"/> with <c>isExecute</c> set per section: true only for those in <paramref name="executed"/>.</summary>
    public static string WithStages(string ini, params string[] executed)
    {
        var text = new StringBuilder();
        string section = "";
        foreach (string line in ini.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                section = trimmed[1..^1];
            }

            text.Append(trimmed.StartsWith("isExecute=", StringComparison.Ordinal)
                ? $"isExecute={(executed.Contains(section) ? "true" : "false")}"
                : line).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null.</summary>
    public static string? Value(string ini, string section, string key)
    {
        string current = "";
        foreach (string raw in ini.Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = line[1..^1];
            }
            else if (current == section && line.StartsWith(key + "=", StringComparison.Ordinal))
            {
                return line[(key.Length + 1)..];
            }
        }

        return null;
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        int at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + find.Length));
    }
}
