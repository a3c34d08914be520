namespace Store.Bench.Cli;

/// <summary>A command-line option: <c>--name</c> alone (a flag) or <c>--name VALUE</c>.</summary>
internal sealed record OptionSpec(string Name, string? ValueName, string Help)
{
    public bool IsFlag => ValueName is null;

    public string Syntax => IsFlag ? $"--{Name}" : $"--{Name} {ValueName}";
}
