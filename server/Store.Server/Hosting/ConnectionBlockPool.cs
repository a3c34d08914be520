using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Store.Server;

/// <summary>
/// The memory pool of Kestrel's socket transport, with blocks of <see cref="StoreServerOptions.ReceiveBufferBytes"/>
/// instead of its default 4 KiB. A socket receive fills at most the rest of one block, and the
/// connection parses, answers and flushes what one receive brought: with 4 KiB blocks a pipelined
/// burst of small requests is cut into reads of about 50 requests, each with its own reply send and
/// client wake-up, and bursts never grow back once cut. Blocks are pinned (sockets read into them) and
/// kept for reuse up to <see cref="RetainedBytes"/> in all; a connection waiting for data holds none
/// (Kestrel receives zero bytes first).
/// </summary>
internal sealed class ConnectionBlockPool(int blockBytes) : MemoryPool<byte>
{
    /// <summary>Free blocks kept for reuse, in bytes; more are left to the GC.</summary>
    public const int RetainedBytes = 8 << 20;

    private readonly ConcurrentQueue<Block> _free = new();
    private readonly int _retainedBlocks = Math.Max(1, RetainedBytes / blockBytes);
    private int _freeCount;
    private long _allocated;
    private bool _disposed;

    /// <inheritdoc/>
    public override int MaxBufferSize => blockBytes;

    /// <summary>Blocks allocated so far (reused ones counted once).</summary>
    public long Allocated => Interlocked.Read(ref _allocated);

    /// <summary>Free blocks waiting for reuse.</summary>
    public int FreeCount => Volatile.Read(ref _freeCount);

    /// <inheritdoc/>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        if (minBufferSize > blockBytes)
        {
            return new Unpooled(minBufferSize); // the transport asks for at most MaxBufferSize; anyone else gets what they asked for
        }

        if (_free.TryDequeue(out Block? block))
        {
            Interlocked.Decrement(ref _freeCount);
            return block;
        }

        Interlocked.Increment(ref _allocated);
        return new Block(this, blockBytes);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        Volatile.Write(ref _disposed, true);
        _free.Clear();
    }

    private void Return(Block block)
    {
        if (!Volatile.Read(ref _disposed) && Interlocked.Increment(ref _freeCount) <= _retainedBlocks)
        {
            _free.Enqueue(block);
            return;
        }

        Interlocked.Decrement(ref _freeCount);
    }

    private sealed class Block(ConnectionBlockPool pool, int bytes) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = GC.AllocateUninitializedArray<byte>(bytes, pinned: true);

        public void Dispose() => pool.Return(this);
    }

    private sealed class Unpooled(int bytes) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory { get; } = new byte[bytes];

        public void Dispose()
        {
        }
    }

    /// <summary>Hands Kestrel pools of this kind (it asks the service provider for an <see cref="IMemoryPoolFactory{T}"/>).</summary>
    internal sealed class Factory(int blockBytes) : IMemoryPoolFactory<byte>
    {
        private readonly ConcurrentQueue<ConnectionBlockPool> _created = new();

        /// <summary>Pools created so far (diagnostics and tests).</summary>
        public IReadOnlyCollection<ConnectionBlockPool> Created => _created;

        /// <inheritdoc/>
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
        {
            var pool = new ConnectionBlockPool(blockBytes);
            _created.Enqueue(pool);
            return pool;
        }
    }
}
