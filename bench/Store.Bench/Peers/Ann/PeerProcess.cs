using System.Diagnostics;

namespace Store.Bench.Peers.Ann;

/// <summary>
/// Runs a peer's command line and hands each line it prints (stdout and stderr, in arrival order
/// per stream) to a callback, so a long build or sweep shows progress and its output can be parsed.
/// </summary>
internal static class PeerProcess
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; returns its exit code.</summary>
    public static int Run(string file, IReadOnlyList<string> arguments, Action<string> line, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var gate = new Lock();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Forward(e.Data);
        process.ErrorDataReceived += (_, e) => Forward(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"could not start {file}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return process.ExitCode;

        void Forward(string? data)
        {
            if (data is not null)
            {
                lock (gate)
                {
                    line(data);
                }
            }
        }
    }

    /// <summary>True when <paramref name="file"/> can be started (found on PATH or as a path).</summary>
    public static bool Exists(string file)
    {
        if (file.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(file);
        }

        string? path = Environment.GetEnvironmentVariable("PATH");
        return path is not null && path.Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, file)));
    }
}
