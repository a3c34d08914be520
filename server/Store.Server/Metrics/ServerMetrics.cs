using System.Diagnostics;
using Store.Client.Protocol;

namespace Store.Server;

/// <summary>Why a frame was refused before it reached an operation.</summary>
internal enum FrameRejection
{
    /// <summary>Its payload was over <see cref="StoreServerOptions.MaxFrameBytes"/>.</summary>
    TooLarge,

    /// <summary>Its payload did not parse.</summary>
    BadRequest,

    /// <summary>Its opcode is unknown.</summary>
    UnknownOpcode,

    /// <summary>It came before (or failed) the handshake.</summary>
    Handshake,
}

/// <summary>
/// The server's counters: operations by opcode and status, latency histograms per opcode,
/// connections, bytes and rejected frames. Updated lock-free (Interlocked) on the hot path; read by
/// the admin surface's /metrics (<see cref="ServerMetrics.WriteText"/>).
/// </summary>
internal sealed partial class ServerMetrics
{
    private const int Opcodes = 256;
    private const int StatusSlots = 64;

    /// <summary>Upper bounds of the latency buckets in seconds; a last bucket (+Inf) follows.</summary>
    internal static readonly double[] LatencyBoundsSeconds =
        [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

    private static readonly long[] LatencyBoundsTicks = ToTicks(LatencyBoundsSeconds);
    private static readonly int Buckets = LatencyBoundsSeconds.Length + 1;

    private readonly long[] _operations = new long[Opcodes * StatusSlots];
    private readonly long[] _latencyBuckets = new long[Opcodes * (LatencyBoundsSeconds.Length + 1)];
    private readonly long[] _latencyTicks = new long[Opcodes];
    private readonly long[] _rejectedFrames = new long[4];
    private long _connectionsCurrent;
    private long _connectionsTotal;
    private long _connectionsRejected;
    private long _bytesReceived;
    private long _bytesSent;

    /// <summary>Open binary connections.</summary>
    public long ConnectionsCurrent => Volatile.Read(ref _connectionsCurrent);

    /// <summary>Counts one finished operation with its outcome and its duration in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordOperation(byte opcode, StatusCode status, long elapsedTicks)
    {
        int statusSlot = (ushort)status < StatusSlots ? (ushort)status : StatusSlots - 1;
        Interlocked.Increment(ref _operations[(opcode * StatusSlots) + statusSlot]);
        Interlocked.Add(ref _latencyTicks[opcode], elapsedTicks);
        long[] bounds = LatencyBoundsTicks;
        int bucket = 0;
        while (bucket < bounds.Length && elapsedTicks > bounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _latencyBuckets[(opcode * Buckets) + bucket]);
    }

    /// <summary>Counts a refused frame.</summary>
    public void RecordRejectedFrame(FrameRejection reason) => Interlocked.Increment(ref _rejectedFrames[(int)reason]);

    /// <summary>Counts an accepted connection.</summary>
    public void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsCurrent);
        Interlocked.Increment(ref _connectionsTotal);
    }

    /// <summary>Counts a closed connection.</summary>
    public void ConnectionClosed() => Interlocked.Decrement(ref _connectionsCurrent);

    /// <summary>Counts a connection refused at the connection limit.</summary>
    public void ConnectionRejected() => Interlocked.Increment(ref _connectionsRejected);

    /// <summary>Counts bytes read from clients.</summary>
    public void AddBytesReceived(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    /// <summary>Counts bytes written to clients.</summary>
    public void AddBytesSent(long bytes) => Interlocked.Add(ref _bytesSent, bytes);

    private static long[] ToTicks(double[] seconds)
    {
        long[] ticks = new long[seconds.Length];
        for (int i = 0; i < seconds.Length; i++)
        {
            ticks[i] = (long)(seconds[i] * Stopwatch.Frequency);
        }

        return ticks;
    }
}
