namespace Store.Bench.Peers.Ann;

/// <summary>
/// Where the ANN peers' scripts are: the project's shared peer scripts (<c>../shared/peers</c> beside
/// the repository: install.sh, fmnist_fvecs.py, sptag_run.sh, sptag_fmnist.ini), this folder's own
/// scripts (hnswlib_rss.py, peak_rss.py), and the Python that has numpy and hnswlib (Debian's
/// <c>/usr/bin/python3</c>; a <c>python3</c> earlier on PATH, such as pyenv's, may lack them).
/// </summary>
internal sealed record AnnPeerPaths(string SharedPeers, string OwnScripts, string Python)
{
    private const string SolutionFile = "Store.sln";
    private const string SystemPython = "/usr/bin/python3";

    public string SharedScript(string name) => Path.Combine(SharedPeers, name);

    public string OwnScript(string name) => Path.Combine(OwnScripts, name);

    /// <summary>Finds the repository (the folder with Store.sln, from the binary, then the current directory).</summary>
    public static AnnPeerPaths Resolve(string? sharedPeersOverride)
    {
        string root = FindRepositoryRoot(AppContext.BaseDirectory) ?? FindRepositoryRoot(Environment.CurrentDirectory)
            ?? throw new InvalidOperationException($"the ann suite runs from a checkout of the repository ({SolutionFile} not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory})");
        string shared = sharedPeersOverride is not null
            ? Path.GetFullPath(sharedPeersOverride)
            : Path.GetFullPath(Path.Combine(root, "..", "shared", "peers"));
        string own = Path.Combine(root, "bench", "Store.Bench", "Peers", "Ann");
        return new AnnPeerPaths(shared, own, File.Exists(SystemPython) ? SystemPython : "python3");
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return folder.FullName;
            }
        }

        return null;
    }
}
