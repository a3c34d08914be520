using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Store.Bench.Peers.RocksDb;

/// <summary>
/// Finds Debian's librocksdb (package librocksdb7.8, pulled in by librocksdb-dev) and points the
/// <see cref="RocksDbNative"/> imports at it. When it is missing, the process runs as root and
/// apt-get exists, <see cref="EnsureLoaded"/> installs librocksdb-dev once, saying so.
/// </summary>
internal static class RocksDbLibrary
{
    public const string Package = "librocksdb-dev";

    private static readonly string[] Candidates =
    [
        "librocksdb.so.7.8",
        "librocksdb.so.7",
        "librocksdb.so",
        "/usr/lib/x86_64-linux-gnu/librocksdb.so.7.8",
        "/usr/lib/aarch64-linux-gnu/librocksdb.so.7.8",
        "librocksdb.dylib",
        "rocksdb",
    ];

    private static readonly Lock Gate = new();
    private static nint _handle;
    private static bool _installTried;
    private static bool _resolverSet;

    /// <summary>The name of the file that was loaded, or null before a successful load.</summary>
    public static string? LoadedName { get; private set; }

    /// <summary>
    /// Loads the library (installing it if allowed and needed); returns false when it cannot be had.
    /// Progress and failures go to <paramref name="report"/>.
    /// </summary>
    public static bool EnsureLoaded(Action<string> report, bool allowInstall)
    {
        lock (Gate)
        {
            if (_handle != 0)
            {
                return true;
            }

            if (TryLoad())
            {
                return true;
            }

            if (allowInstall && !_installTried && CanInstall())
            {
                _installTried = true;
                Install(report);
                if (TryLoad())
                {
                    report($"# rocksdb: loaded {LoadedName} after installing {Package}");
                    return true;
                }
            }

            return false;
        }
    }

    private static bool TryLoad()
    {
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out nint handle))
            {
                _handle = handle;
                LoadedName = name;
                if (!_resolverSet)
                {
                    NativeLibrary.SetDllImportResolver(Assembly.GetExecutingAssembly(), Resolve);
                    _resolverSet = true;
                }

                return true;
            }
        }

        return false;
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == RocksDbNative.LibraryName ? _handle : 0;

    private static bool CanInstall() =>
        OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/apt-get");

    private static void Install(Action<string> report)
    {
        report($"# rocksdb: library not found; running 'apt-get install -y {Package}' (root, apt-get present)");
        int code = RunAptGet($"install -y -q {Package}");
        if (code != 0)
        {
            report($"# rocksdb: apt-get install exited {code}; running 'apt-get update' and trying once more");
            RunAptGet("update -q");
            code = RunAptGet($"install -y -q {Package}");
        }

        report($"# rocksdb: apt-get install exited {code}");
    }

    private static int RunAptGet(string arguments)
    {
        var start = new ProcessStartInfo("apt-get", arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start apt-get");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        stderr.Wait();
        return process.ExitCode;
    }
}
