namespace Store.Bench.Peers.Ann;

/// <summary>
/// Checks what the ann suite's peers need (Debian packages: sptag, python3-hnswlib, python3-numpy,
/// dataset-fashion-mnist) and, when allowed, runs the shared install.sh once (it needs root).
/// </summary>
internal static class AnnPrerequisites
{
    public const string FashionMnistSource = "/usr/share/datasets/fashion-mnist";
    public const string SptagBinary = "sptag-ssdserving";

    /// <summary>
    /// Returns null when everything <paramref name="needSptag"/>/<paramref name="needFashionMnist"/>
    /// ask for is present (installing it if allowed), else a message saying what is missing and why it
    /// could not be installed.
    /// </summary>
    public static string? Ensure(AnnPeerPaths paths, bool needSptag, bool needFashionMnist, bool allowInstall, Action<string> log)
    {
        var missing = Missing(paths, needSptag, needFashionMnist);
        if (missing.Count == 0)
        {
            return null;
        }

        string what = string.Join(", ", missing);
        if (!allowInstall)
        {
            return $"missing: {what}; --no-install given (install them with sudo {paths.SharedScript("install.sh")})";
        }

        if (Environment.UserName != "root")
        {
            return $"missing: {what}; installing needs root: run sudo {paths.SharedScript("install.sh")} (or pass --no-install to skip this check)";
        }

        string script = paths.SharedScript("install.sh");
        if (!File.Exists(script))
        {
            return $"missing: {what}; and the install script {script} is not there";
        }

        log($"# ann: missing {what}; running {script}");
        int code = PeerProcess.Run("bash", [script], l => log($"#   install: {l}"));
        missing = Missing(paths, needSptag, needFashionMnist);
        return missing.Count == 0 ? null : $"install.sh exited {code}; still missing: {string.Join(", ", missing)}";
    }

    private static List<string> Missing(AnnPeerPaths paths, bool needSptag, bool needFashionMnist)
    {
        var missing = new List<string>();
        if (needSptag && !PeerProcess.Exists(SptagBinary))
        {
            missing.Add($"{SptagBinary} (package sptag)");
        }

        if (needFashionMnist && !File.Exists(Path.Combine(FashionMnistSource, "train-images-idx3-ubyte.gz")))
        {
            missing.Add($"{FashionMnistSource} (package dataset-fashion-mnist)");
        }

        if (!PythonHas(paths.Python, "import numpy, hnswlib"))
        {
            missing.Add($"numpy and hnswlib for {paths.Python} (packages python3-numpy, python3-hnswlib)");
        }

        return missing;
    }

    private static bool PythonHas(string python, string statement)
    {
        try
        {
            return PeerProcess.Run(python, ["-c", statement], _ => { }) == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
