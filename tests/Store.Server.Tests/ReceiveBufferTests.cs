using System.Buffers;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>
/// The socket transport's memory pool (<see cref="ConnectionBlockPool"/>): its block is the most one
/// receive takes, so a pipelined burst is answered in a few large reads instead of many 4 KiB ones.
/// </summary>
public sealed class ReceiveBufferTests
{
    [Fact]
    public void Blocks_have_the_configured_size_and_are_reused()
    {
        using var pool = new ConnectionBlockPool(16 << 10);
        Assert.Equal(16 << 10, pool.MaxBufferSize);
        IMemoryOwner<byte> first = pool.Rent(2048);
        Assert.Equal(16 << 10, first.Memory.Length);
        Memory<byte> memory = first.Memory;
        first.Dispose();
        Assert.Equal(1, pool.FreeCount);

        using IMemoryOwner<byte> again = pool.Rent();
        Assert.True(again.Memory.Span == memory.Span, "a returned block is handed out again");
        Assert.Equal(1, pool.Allocated);
    }

    [Fact]
    public void A_request_larger_than_a_block_gets_a_buffer_that_fits_outside_the_pool()
    {
        using var pool = new ConnectionBlockPool(4096);
        IMemoryOwner<byte> large = pool.Rent(10_000);
        Assert.True(large.Memory.Length >= 10_000);
        large.Dispose();
        Assert.Equal(0, pool.FreeCount);
        Assert.Equal(0, pool.Allocated);
    }

    [Fact]
    public void Free_blocks_are_kept_up_to_the_retained_bytes()
    {
        const int Block = 1 << 20;
        using var pool = new ConnectionBlockPool(Block);
        var rented = Enumerable.Range(0, (ConnectionBlockPool.RetainedBytes / Block) + 3).Select(_ => pool.Rent()).ToList();
        rented.ForEach(b => b.Dispose());
        Assert.Equal(ConnectionBlockPool.RetainedBytes / Block, pool.FreeCount);
    }

    [Fact]
    public async Task The_transport_reads_into_the_pools_blocks_and_answers_a_large_burst_whole()
    {
        await using TestServer server = await TestServer.StartAsync((dir, logs) => new StoreServerOptions { DataDirectory = dir, Port = 0, AdminPort = null, LoggerFactory = logs, ReceiveBufferBytes = 64 << 10 });
        await using RawConnection client = await server.OpenAsync();

        // 3,000 small requests in one write, about 150 KB: frames straddle every block boundary.
        const int Count = 3000;
        byte[][] frames = new byte[Count][];
        for (uint i = 0; i < Count; i++)
        {
            frames[i] = Requests.Set(i, 0, Frame.Bytes($"burst:{i:D6}"), BitConverter.GetBytes(i));
        }

        await client.SendAsync(frames);
        var seen = new HashSet<uint>();
        for (int i = 0; i < Count; i++)
        {
            Frame reply = await client.ReadAsync();
            Assert.Equal(StatusCode.Ok, reply.Status);
            Assert.True(seen.Add(reply.RequestId));
        }

        Assert.Contains(server.Host.ConnectionPools.Created, pool => pool.MaxBufferSize == 64 << 10 && pool.Allocated > 0);
        server.AssertNoServerFaults();
    }
}
