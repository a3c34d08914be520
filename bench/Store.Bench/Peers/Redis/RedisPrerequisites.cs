using Store.Bench.Peers.Ann;

namespace Store.Bench.Peers.Redis;

/// <summary>Checks for redis-server and redis-benchmark and, when allowed and root, runs the shared install.sh (Debian's redis packages).</summary>
internal static class RedisPrerequisites
{
    public const string ServerBinary = "redis-server";
    public const string BenchmarkBinary = "redis-benchmark";

    /// <summary>Null when both binaries are there (installing them if allowed), else why the peer cannot run.</summary>
    public static string? Ensure(string repositoryRoot, bool allowInstall, Action<string> log)
    {
        if (Present())
        {
            return null;
        }

        string script = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "peers", "install.sh"));
        if (!allowInstall)
        {
            return $"missing {ServerBinary}/{BenchmarkBinary}; --no-install given (install them with sudo {script})";
        }

        if (Environment.UserName != "root")
        {
            return $"missing {ServerBinary}/{BenchmarkBinary}; installing needs root: run sudo {script}";
        }

        if (!File.Exists(script))
        {
            return $"missing {ServerBinary}/{BenchmarkBinary}, and the install script {script} is not there";
        }

        log($"# server: redis missing; running {script}");
        int code = PeerProcess.Run("bash", [script], line => log($"#   install: {line}"));
        return Present() ? null : $"install.sh exited {code}; {ServerBinary}/{BenchmarkBinary} still missing";
    }

    private static bool Present() => PeerProcess.Exists(ServerBinary) && PeerProcess.Exists(BenchmarkBinary);
}
