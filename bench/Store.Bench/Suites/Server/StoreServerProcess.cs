using System.Diagnostics;
using System.Globalization;
using Store.Bench.Peers.Ann;
using Store.Client;

namespace Store.Bench.Suites.Server;

/// <summary>
/// The Store server as a child process (<c>dotnet exec store-server.dll</c>, built from server/Store.Server
/// if absent; or this very binary's <see cref="ServeCommand"/>, which runs the same server code, where a
/// self-contained publish has no dotnet to exec) on a free loopback port with a temporary data directory
/// and default options: its own process, like redis-server, so the load generator and the server do not
/// share a heap or thread pool.
/// </summary>
internal sealed class StoreServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private StoreServerProcess(Process process, int port, string directory, string dll)
    {
        _process = process;
        Port = port;
        DataDirectory = directory;
        Dll = dll;
    }

    /// <summary>The harness's command that runs the Store server in this binary.</summary>
    public const string ServeCommand = "serve-store";

    public int Port { get; }

    public string DataDirectory { get; }

    public string Dll { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime => Measurement.CpuClock.Of(_process);

    public static StoreServerProcess Start(string repositoryRoot, Action<string> log, bool inThisBinary = false)
    {
        string dll = inThisBinary
            ? Environment.ProcessPath ?? throw new InvalidOperationException("this process has no path to start again")
            : Path.Combine(repositoryRoot, "server", "Store.Server", "bin", "Release", "net10.0", "store-server.dll");
        if (!inThisBinary && !File.Exists(dll))
        {
            log("# server: building server/Store.Server (Release)");
            int code = PeerProcess.Run("dotnet", ["build", Path.Combine(repositoryRoot, "server", "Store.Server"), "-c", "Release", "--nologo", "-v", "q"], line => log($"#   build: {line}"));
            if (code != 0 || !File.Exists(dll))
            {
                throw new InvalidOperationException($"building server/Store.Server failed (exit {code})");
            }
        }

        int port = ServerKeys.FreePort();
        string directory = Path.Combine(Path.GetTempPath(), "store-bench-server-" + Guid.NewGuid().ToString("N"));
        // This binary is either an apphost/self-contained executable, or dotnet running Store.Bench.dll.
        bool viaDotnet = !inThisBinary || Path.GetFileNameWithoutExtension(dll) == "dotnet";
        string[] launch = !inThisBinary ? ["exec", dll]
            : viaDotnet ? ["exec", Environment.GetCommandLineArgs()[0], ServeCommand]
            : [ServeCommand];
        var start = new ProcessStartInfo(viaDotnet ? "dotnet" : dll)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in launch.Concat(["--data", directory, "--port", port.ToString(CultureInfo.InvariantCulture), "--admin-port", "off", "--log-level", "Warning"]))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet exec store-server.dll");
        var server = new StoreServerProcess(process, port, directory, dll);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Connects a client once the server listens (up to 30 s).</summary>
    public async Task<StoreClient> ConnectAsync(int connections = 1)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await StoreClient.ConnectAsync(new StoreClientOptions { Endpoints = [Endpoint], RequestTimeout = TimeSpan.FromSeconds(30), PoolSize = connections });
            }
            catch (StoreConnectionException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !_process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (StoreConnectionException e)
            {
                throw new InvalidOperationException($"the Store server did not come up on {Endpoint}: {string.Join(" | ", _output.TakeLast(5))}", e);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // exited already
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS to clean
        }
    }

    private void Remember(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
