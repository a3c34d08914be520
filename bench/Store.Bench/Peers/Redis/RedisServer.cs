using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Store.Bench.Peers.Redis;

/// <summary>
/// A redis-server child process on a free loopback port with persistence off (<c>--save '' --appendonly no</c>,
/// as in ../shared/peers/redis_bench.sh), loaded over a pipelined RESP connection.
/// </summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port, string version)
    {
        _process = process;
        Port = port;
        Version = version;
    }

    public int Port { get; }

    public string Version { get; }

    /// <summary>CPU time the redis-server process has used so far.</summary>
    public TimeSpan CpuTime => Measurement.CpuClock.Of(_process);

    public static RedisServer Start(int port)
    {
        var start = new ProcessStartInfo(RedisPrerequisites.ServerBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port, VersionOf());
        server.WaitReady();
        return server;
    }

    /// <summary>SETs <c>key:%012d</c> (redis-benchmark's key format with -r) for 0..count-1 to <paramref name="value"/>.</summary>
    public void Load(int count, byte[] value)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, Port));
        using var stream = new NetworkStream(socket);
        const int Batch = 1000;
        var command = new MemoryStream();
        byte[] reply = new byte[Batch * 5];
        for (int first = 0; first < count; first += Batch)
        {
            int n = Math.Min(Batch, count - first);
            command.SetLength(0);
            for (int i = first; i < first + n; i++)
            {
                byte[] key = Encoding.ASCII.GetBytes(Suites.Server.ServerKeys.Key(i));
                command.Write(Encoding.ASCII.GetBytes($"*3\r\n$3\r\nSET\r\n${key.Length}\r\n"));
                command.Write(key);
                command.Write(Encoding.ASCII.GetBytes($"\r\n${value.Length}\r\n"));
                command.Write(value);
                command.Write("\r\n"u8);
            }

            stream.Write(command.GetBuffer(), 0, (int)command.Length);
            stream.ReadExactly(reply, 0, n * 5); // n x "+OK\r\n"
            if (reply[0] != (byte)'+')
            {
                throw new InvalidOperationException($"redis refused a SET while loading: {Encoding.ASCII.GetString(reply, 0, Math.Min(60, n * 5))}");
            }
        }
    }

    public void Dispose()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // exited already
        }

        _process.Dispose();
    }

    private static string VersionOf()
    {
        var output = new StringBuilder();
        Ann.PeerProcess.Run(RedisPrerequisites.ServerBinary, ["--version"], line => output.Append(line));
        string text = output.ToString();
        int v = text.IndexOf("v=", StringComparison.Ordinal);
        return v >= 0 ? text[(v + 2)..].Split(' ')[0] : text;
    }

    private void WaitReady()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} at start (port {Port} taken?)");
            }

            try
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(new IPEndPoint(IPAddress.Loopback, Port));
                socket.Send("PING\r\n"u8);
                byte[] buffer = new byte[16];
                if (socket.Receive(buffer) > 0 && buffer[0] == (byte)'+')
                {
                    return;
                }
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new TimeoutException($"redis-server did not answer PING on port {Port} within 20 s");
    }
}
