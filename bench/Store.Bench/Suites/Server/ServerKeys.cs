using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Store.Bench.Suites.Server;

/// <summary>The key set both servers hold: redis-benchmark's <c>key:%012d</c> with -r (16 bytes each).</summary>
internal static class ServerKeys
{
    public static string Key(int index) => $"key:{index:D12}";

    public static byte[][] All(int count) => [.. Enumerable.Range(0, count).Select(i => Encoding.ASCII.GetBytes(Key(i)))];

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
