using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Store.Kv;

namespace Store.Tests.Kv;

/// <summary>What a writer child reported before it died.</summary>
/// <param name="Ready">It opened the database (recovery finished).</param>
/// <param name="LastAcknowledged">Highest operation whose call returned; first op - 1 if none.</param>
/// <param name="LastFlushed">Highest operation covered by a returned Flush(); first op - 1 if none.</param>
/// <param name="SegmentsCompacted">Log segments its compactions removed.</param>
/// <param name="ExitedByItself">It was already gone when the test came to kill it (a failure).</param>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stderr">What it wrote to standard error.</param>
internal sealed record WriterReport(bool Ready, long LastAcknowledged, long LastFlushed, int SegmentsCompacted, bool ExitedByItself, int ExitCode, string Stderr);

/// <summary>
/// The crash tests' child process (tests/Store.CrashWriter) with its standard output read on a
/// thread: "ready &lt;op&gt;", then one line per acknowledged operation, "F &lt;op&gt;" after each Flush()
/// and "C &lt;segments&gt;" after each compaction that removed segments.
/// </summary>
internal sealed class CrashWriterProcess : IDisposable
{
    private static readonly Lazy<string> Dll = new(LocateDll);
    private readonly Process _process;
    private readonly Thread _stdoutReader;
    private readonly Thread _stderrReader;
    private readonly StringBuilder _stderr = new();
    private readonly ManualResetEventSlim _ready = new();
    private readonly ManualResetEventSlim _acknowledged = new();
    private readonly long _firstOp;
    private long _lastAcknowledged;
    private long _lastFlushed;
    private int _segmentsCompacted;

    private CrashWriterProcess(Process process, long firstOp)
    {
        _process = process;
        _firstOp = firstOp;
        _lastAcknowledged = firstOp - 1;
        _lastFlushed = firstOp - 1;
        _stdoutReader = new Thread(ReadStdout) { IsBackground = true, Name = "crash-writer-stdout" };
        _stderrReader = new Thread(ReadStderr) { IsBackground = true, Name = "crash-writer-stderr" };
        _stdoutReader.Start();
        _stderrReader.Start();
    }

    /// <summary>Starts a writer on <paramref name="directory"/> that applies operations from <paramref name="firstOp"/> on.</summary>
    public static CrashWriterProcess Start(string directory, Durability durability, long firstOp)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet",
            RedirectStandardInput = true, // the child exits when this closes, so it never outlives the test process
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll.Value);
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(durability.ToString());
        start.ArgumentList.Add(firstOp.ToString(CultureInfo.InvariantCulture));
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash writer.");
        return new CrashWriterProcess(process, firstOp);
    }

    /// <summary>Starts the vector crash writer (Store.CrashWriter vectors) on <paramref name="directory"/> from <paramref name="firstOp"/> on.</summary>
    public static CrashWriterProcess StartVectors(string directory, long firstOp)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll.Value);
        start.ArgumentList.Add("vectors");
        start.ArgumentList.Add(directory);
        start.ArgumentList.Add(firstOp.ToString(CultureInfo.InvariantCulture));
        Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the crash writer.");
        return new CrashWriterProcess(process, firstOp);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Waits until the writer opened the database and acknowledged its first operation.</summary>
    public bool WaitForFirstAcknowledgement(TimeSpan timeout) => _acknowledged.Wait(timeout);

    public bool WaitForReady(TimeSpan timeout) => _ready.Wait(timeout);

    /// <summary>Kills the writer (SIGKILL, whole tree), waits for it, and returns what it reported up to its death.</summary>
    public WriterReport Kill()
    {
        bool exitedByItself = _process.HasExited;
        if (!exitedByItself)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                exitedByItself = true; // exited between the check and the kill
            }
        }

        _process.WaitForExit();
        _stdoutReader.Join();
        _stderrReader.Join();
        string stderr;
        lock (_stderr)
        {
            stderr = _stderr.ToString();
        }

        return new WriterReport(_ready.IsSet, Interlocked.Read(ref _lastAcknowledged), Interlocked.Read(ref _lastFlushed),
            Volatile.Read(ref _segmentsCompacted), exitedByItself, _process.ExitCode, stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _ready.Dispose();
        _acknowledged.Dispose();
    }

    private void ReadStdout()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("ready ", StringComparison.Ordinal))
            {
                _ready.Set();
            }
            else if (line.StartsWith("F ", StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref _lastFlushed, long.Parse(line.AsSpan(2), CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith("C ", StringComparison.Ordinal))
            {
                Interlocked.Add(ref _segmentsCompacted, int.Parse(line.AsSpan(2), CultureInfo.InvariantCulture));
            }
            else if (long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long op))
            {
                if (op != Interlocked.Read(ref _lastAcknowledged) + 1)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine($"[test] acknowledgement {op} out of order after {_lastAcknowledged} (first op {_firstOp})");
                    }
                }

                Interlocked.Exchange(ref _lastAcknowledged, op);
                _acknowledged.Set();
            }
        }
    }

    private void ReadStderr()
    {
        while (_process.StandardError.ReadLine() is { } line)
        {
            lock (_stderr)
            {
                _stderr.AppendLine(line);
            }
        }
    }

    /// <summary>
    /// The writer's dll: STORE_CRASH_WRITER if set, else the build output path recorded at build time,
    /// else next to the tests, else any build of tests/Store.CrashWriter above the test directory.
    /// </summary>
    private static string LocateDll()
    {
        const string FileName = "Store.CrashWriter.dll";
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("STORE_CRASH_WRITER") is { Length: > 0 } fromEnvironment)
        {
            candidates.Add(fromEnvironment);
        }

        candidates.AddRange(typeof(CrashWriterProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => a.Key == "CrashWriterDll" && a.Value is not null).Select(a => a.Value!));
        candidates.Add(Path.Combine(AppContext.BaseDirectory, FileName));
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string bin = Path.Combine(dir.FullName, "tests", "Store.CrashWriter", "bin");
            if (Directory.Exists(bin))
            {
                candidates.AddRange(Directory.GetFiles(bin, FileName, SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc));
                break;
            }
        }

        return candidates.FirstOrDefault(c => File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException(
                $"{FileName} not found (looked at: {string.Join(", ", candidates)}). Build tests/Store.CrashWriter, or set STORE_CRASH_WRITER to its dll.");
    }
}
