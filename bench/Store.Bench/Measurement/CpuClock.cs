using System.Diagnostics;
using System.Globalization;

namespace Store.Bench.Measurement;

/// <summary>
/// CPU time (user + system) of processes, for CPU-per-request figures. On a machine shared by server
/// and load generator, throughput follows the machine's speed of the minute; CPU per request moves less.
/// </summary>
internal static class CpuClock
{
    /// <summary>Clock ticks per second of /proc's times (USER_HZ, 100 on Linux).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>CPU time a running process has used so far.</summary>
    public static TimeSpan Of(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>CPU time this process has used so far.</summary>
    public static TimeSpan OfThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// CPU time of this process's children that have exited and been waited for (cutime + cstime of
    /// /proc/self/stat); null where /proc is not there. Its resolution is 10 ms.
    /// </summary>
    public static TimeSpan? OfExitedChildren()
    {
        const string Stat = "/proc/self/stat";
        if (!File.Exists(Stat))
        {
            return null;
        }

        // Fields after the parenthesised command name: state is field 3, cutime 16, cstime 17.
        string text = File.ReadAllText(Stat);
        string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[16 - 3], CultureInfo.InvariantCulture) + long.Parse(fields[17 - 3], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
