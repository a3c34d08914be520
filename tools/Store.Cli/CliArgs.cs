namespace Store.Cli;

/// <summary>Minimal "--name value" option reader with errors that name the option.</summary>
internal sealed class CliArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public CliArgs(string[] args, params string[] known)
    {
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || Array.IndexOf(known, name[2..]) < 0)
            {
                throw new CliException($"unknown option '{name}'; known: {string.Join(", ", known.Select(k => "--" + k))}");
            }

            if (i + 1 >= args.Length)
            {
                throw new CliException($"option '{name}' needs a value");
            }

            _values[name[2..]] = args[++i];
        }
    }

    public string Text(string name, string defaultValue) => _values.TryGetValue(name, out string? text) ? text : defaultValue;

    public int Int(string name, int defaultValue, int min, int max)
    {
        if (!_values.TryGetValue(name, out string? text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new CliException($"--{name} must be a whole number from {min} to {max}, not '{text}'");
        }

        return value;
    }
}

/// <summary>A usage error: printed without a stack trace, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
