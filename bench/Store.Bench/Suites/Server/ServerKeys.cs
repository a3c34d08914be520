using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Store.Bench.Suites.Server;

/// <summary>The key set both servers hold: redis-benchmark's <c>key:%012d</c> with -r (16 bytes each).</summary>
internal static class ServerKeys
{
    public static string Key(int index) => $"key:{index:D12}";

    public static byte[][] All(int count) => [.. Enumerable.Range(0, count).Select(Bytes)];

    /// <summary>The bytes of <see cref="Key"/>(<paramref name="index"/>).</summary>
    public static byte[] Bytes(int index) => Encoding.ASCII.GetBytes(Key(index));

    /// <summary>Overwrites the 12 digits of a key made by <see cref="Bytes"/> with <paramref name="index"/>.</summary>
    public static void Write(int index, byte[] key)
    {
        for (int i = key.Length - 1; i >= 4; i--)
        {
            key[i] = (byte)('0' + (index % 10));
            index /= 10;
        }
    }

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
