using System.Globalization;
using Store.Bench.Reporting;

namespace Store.Bench.Suites.Ann;

/// <summary>
/// The <c>result</c> and <c># target</c> lines of the ann suite. Result names are the suite's
/// (<c>ann.fmnist.*</c>, <c>ann.c1m.*</c>) only when Store produced them; the exact harness check's go
/// under <c>&lt;prefix&gt;.exact_check.*</c> so they can never be read as Store's.
/// </summary>
internal sealed class AnnVerdicts(ResultLog log, string prefix)
{
    private readonly Dictionary<string, double> _results = [];
    private readonly Dictionary<string, string> _why = [];

    public string Prefix => prefix;

    public void Emit(string name, double? value, string format, string? whyMissing = null)
    {
        if (value is { } v && double.IsFinite(v))
        {
            _results[name] = v;
            log.Line($"result {prefix}.{name} {v.ToString(format, CultureInfo.InvariantCulture)}");
        }
        else
        {
            _why[name] = whyMissing ?? "not measured";
            log.Line($"# {prefix}.{name} not reported: {_why[name]}");
        }
    }

    public void AtLeast(string name, double goal) => Target(name, ">=", goal, v => v >= goal);

    public void AtMost(string name, double goal) => Target(name, "<=", goal, v => v <= goal);

    private void Target(string name, string relation, double goal, Func<double, bool> met)
    {
        string verdict = _results.TryGetValue(name, out double value)
            ? $"{value.ToString("0.###", CultureInfo.InvariantCulture)} -> {(met(value) ? "met" : "NOT met")}"
            : $"{_why.GetValueOrDefault(name, "not measured")} -> NOT met";
        log.Line($"# target {prefix}.{name} {relation} {goal.ToString("0.###", CultureInfo.InvariantCulture)}: {verdict}");
    }
}
