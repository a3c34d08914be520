using System.Globalization;

namespace Store.Bench.Reporting;

/// <summary>
/// Everything a benchmark prints: each line goes to stdout and to the result file
/// <c>&lt;suite&gt;-&lt;yyyyMMdd-HHmmss&gt;[-quick].txt</c>, which starts with a header (command line,
/// UTC date, machine). Lines are flushed as they come, so an interrupted run leaves what it measured.
/// </summary>
internal sealed class ResultLog : IDisposable
{
    private readonly TextWriter _console;
    private readonly StreamWriter _file;

    private ResultLog(TextWriter console, string path)
    {
        _console = console;
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new StreamWriter(path, append: false) { AutoFlush = true, NewLine = "\n" };
    }

    public string Path { get; }

    public static ResultLog Open(TextWriter console, string suite, bool quick, string? outDirectory)
    {
        var now = DateTime.UtcNow;
        string name = $"{suite}-{now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}{(quick ? "-quick" : "")}.txt";
        var log = new ResultLog(console, System.IO.Path.Combine(ResultsLocation.Resolve(outDirectory), name));
        log.Line($"# command: {Environment.CommandLine}");
        log.Line($"# date: {now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        log.Line($"# machine: {MachineDescription.Describe()}");
        return log;
    }

    public void Line(string text)
    {
        _console.WriteLine(text);
        _console.Flush();
        _file.WriteLine(text);
    }

    public void Dispose() => _file.Dispose();
}
