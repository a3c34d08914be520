using System.Diagnostics;
using System.Net.Sockets;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>
/// Random and mutated byte streams against a live server over real sockets, for a bounded time (about
/// 3 s; 60 s with STORE_LONG_TESTS=1). Each connection's input is a pure function of its seed, so a
/// failure names the seed that reproduces it. Afterwards the server must still serve a new connection
/// and must have logged no fault.
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261122;

    [Fact]
    public async Task Random_and_mutated_frames_never_crash_or_wedge_the_server()
    {
        bool longMode = Environment.GetEnvironmentVariable("STORE_LONG_TESTS") == "1";
        TimeSpan budget = longMode ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(3);
        await using TestServer server = await TestServer.StartAsync((dir, logs) => new StoreServerOptions
        {
            DataDirectory = dir,
            Port = 0,
            AdminPort = null,
            LoggerFactory = logs,
            MaxFrameBytes = 64 * 1024,
            MaxInFlightPerConnection = 16,
            IdleTimeout = TimeSpan.FromSeconds(5),
        });
        byte[][] corpus = Corpus();
        var clock = Stopwatch.StartNew();
        int iterations = 0;
        while (clock.Elapsed < budget || iterations < 20)
        {
            int seed = Seed + iterations++;
            byte[] input = Input(new Random(seed), corpus);
            try
            {
                await Exchange(server, input, new Random(seed));
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException($"Fuzz input of seed {seed} ({input.Length} bytes) broke the exchange.", e);
            }
        }

        await using RawConnection client = await server.OpenAsync();
        Assert.Equal(StatusCode.Ok, (await client.RequestAsync(Requests.Set(1, 0, [1], [2]))).Status);
        Assert.Equal(new byte[] { 2 }, (await client.RequestAsync(Requests.Get(2, 0, [1]))).GetReply().Value);
        server.AssertNoServerFaults();
    }

    /// <summary>Sends the input in a few chunks, half-closes, and reads replies until the server closes.</summary>
    private static async Task Exchange(TestServer server, byte[] input, Random random)
    {
        await using RawConnection connection = await server.ConnectAsync();
        int sent = 0;
        while (sent < input.Length)
        {
            int chunk = Math.Min(input.Length - sent, 1 + random.Next(Math.Max(1, input.Length / 2)));
            try
            {
                await connection.Socket.SendAsync(input.AsMemory(sent, chunk));
            }
            catch (SocketException)
            {
                break; // the server closed on an earlier frame
            }

            sent += chunk;
        }

        try
        {
            connection.Socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // Already reset by the server.
        }

        foreach (Frame reply in await connection.ReadUntilClosedAsync())
        {
            Assert.True(Enum.IsDefined(reply.Status), $"undefined status {(int)reply.Status}");
            Assert.NotEqual(StatusCode.Internal, reply.Status);
        }
    }

    private static byte[] Input(Random random, byte[][] corpus)
    {
        var bytes = new List<byte>();
        int mode = random.Next(4);
        if (mode == 0)
        {
            byte[] noise = new byte[random.Next(0, 300)];
            random.NextBytes(noise);
            return noise;
        }

        bytes.AddRange(Requests.Hello(0));
        int frames = random.Next(1, 12);
        for (int i = 0; i < frames; i++)
        {
            byte[] frame = mode switch
            {
                1 => Mutate(random, corpus[random.Next(corpus.Length)]),
                2 => RandomFrame(random),
                _ => corpus[random.Next(corpus.Length)],
            };
            bytes.AddRange(frame);
        }

        if (mode == 3)
        {
            byte[] tail = new byte[random.Next(0, 40)];
            random.NextBytes(tail);
            bytes.AddRange(tail);
        }

        return [.. bytes];
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        byte[] copy = (byte[])frame.Clone();
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            switch (random.Next(5))
            {
                case 0:
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    copy[random.Next(copy.Length)] = (byte)random.Next(256);
                    break;
                case 2 when copy.Length >= FrameHeader.Size + 4:
                    // A field length inside the payload set to something odd.
                    int at = random.Next(FrameHeader.Size, copy.Length - 3);
                    BitConverter.TryWriteBytes(copy.AsSpan(at), random.Next(2) == 0 ? uint.MaxValue : (uint)random.Next(0, 100));
                    break;
                case 3:
                    // The announced payload length off by a little (or a lot, within the limit).
                    BitConverter.TryWriteBytes(copy.AsSpan(0), (uint)Math.Max(0, copy.Length - FrameHeader.Size + random.Next(-4, 5)));
                    break;
                default:
                    copy[8] = (byte)random.Next(0x01, 0x20);
                    break;
            }
        }

        return copy;
    }

    private static byte[] RandomFrame(Random random)
    {
        byte[] payload = new byte[random.Next(0, 64)];
        random.NextBytes(payload);
        byte[] frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader((uint)payload.Length, (uint)random.Next(), (Opcode)random.Next(256), (FrameFlags)random.Next(4), (StatusCode)random.Next(3), (uint)random.Next(3)).Write(frame);
        payload.CopyTo(frame, FrameHeader.Size);
        return frame;
    }

    private static byte[][] Corpus()
    {
        byte[] key = Frame.Bytes("fz");
        return
        [
            Requests.Ping(1, [1, 2]),
            Requests.OpenKeyspace(2, "fuzz"),
            Requests.Get(3, 0, key),
            Requests.Set(4, 0, key, Frame.Bytes("12"), 60_000),
            Requests.Set(5, 1, key, [9], condition: 3, expectedVersion: 1),
            Requests.Delete(6, 0, key),
            Requests.Increment(7, 0, key, 3),
            Requests.MultiGet(8, 0, key, Frame.Bytes("other")),
            Requests.MultiSet(9, 0, [(key, [1]), (Frame.Bytes("b"), [2])]),
            Requests.Scan(10, 0, [], []),
            Requests.Scan(11, 0, Frame.Bytes("f"), [], prefix: true, limit: 5),
            Requests.Expire(12, 0, key, 1000),
            Requests.Persist(13, 0, key),
            Requests.TimeToLive(14, 0, key),
            Requests.Count(15, 0),
        ];
    }
}
