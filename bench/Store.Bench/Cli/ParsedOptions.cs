using System.Globalization;

namespace Store.Bench.Cli;

/// <summary>
/// Options of one command line, checked against the specs of the suite: <c>--name</c>,
/// <c>--name VALUE</c> or <c>--name=VALUE</c>. Anything else throws <see cref="UsageException"/>.
/// </summary>
internal sealed class ParsedOptions
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    private ParsedOptions()
    {
    }

    public static ParsedOptions Parse(IReadOnlyList<string> args, IReadOnlyList<OptionSpec> specs)
    {
        var parsed = new ParsedOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new UsageException($"unexpected argument '{arg}'");
            }

            string name = arg[2..];
            string? value = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            var spec = specs.FirstOrDefault(s => s.Name == name) ?? throw new UsageException($"unknown option '--{name}'");
            if (spec.IsFlag && value is not null)
            {
                throw new UsageException($"option '--{name}' takes no value");
            }

            if (!spec.IsFlag && value is null)
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"option '--{name}' needs a value ({spec.ValueName})");
                }

                value = args[++i];
            }

            if (!parsed._values.TryAdd(name, value))
            {
                throw new UsageException($"option '--{name}' given twice");
            }
        }

        return parsed;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? Value(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback, int min, int max)
    {
        string? text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException($"option '--{name}' needs an integer in [{min}, {max}], got '{text}'");
        }

        return value;
    }

    public double GetDouble(string name, double fallback, double min, double max)
    {
        string? text = Value(name);
        if (text is null)
        {
            return fallback;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < min || value > max)
        {
            throw new UsageException($"option '--{name}' needs a number in [{min}, {max}], got '{text}'");
        }

        return value;
    }

    /// <summary>A comma-separated list, or null when the option is absent.</summary>
    public IReadOnlyList<string>? GetList(string name)
    {
        string? text = Value(name);
        if (text is null)
        {
            return null;
        }

        string[] items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new UsageException($"option '--{name}' needs a non-empty list");
    }

    /// <summary>A comma-separated list of integers in [min, max], or null when the option is absent.</summary>
    public IReadOnlyList<int>? GetIntList(string name, int min, int max)
    {
        var items = GetList(name);
        if (items is null)
        {
            return null;
        }

        var values = new List<int>(items.Count);
        foreach (string item in items)
        {
            if (!int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            {
                throw new UsageException($"option '--{name}' needs integers in [{min}, {max}], got '{item}'");
            }

            values.Add(value);
        }

        return values;
    }
}
