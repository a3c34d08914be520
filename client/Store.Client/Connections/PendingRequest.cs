using System.Buffers;
using Store.Client.Protocol;

namespace Store.Client.Connections;

/// <summary>
/// A request written to a connection and waiting for its reply. Exactly one party completes it: the
/// one that removes it from the connection's table of pending requests (the reply's reader, the
/// timeout sweep, the cancellation callback or the close of the connection).
/// </summary>
internal abstract class PendingRequest
{
    private CancellationTokenRegistration _cancellation;

    /// <summary>The request id on the wire.</summary>
    public uint Id { get; set; }

    /// <summary>The operation, for messages.</summary>
    public Opcode Opcode { get; set; }

    /// <summary>When the request times out (<see cref="Environment.TickCount64"/>); <see cref="long.MaxValue"/> for never.</summary>
    public long DeadlineMs { get; set; }

    /// <summary>The keyspace the request works on, to name it in errors.</summary>
    public string? Keyspace { get; set; }

    /// <summary>The connection the request was written to.</summary>
    public StoreConnection? Connection { get; set; }

    /// <summary>
    /// Takes one reply frame (a streamed reply gets several); the payload is valid only during the call.
    /// Returns true when the reply was parsed and kept but the caller is not told yet: the connection
    /// then calls <see cref="Complete"/> off its receive loop (see <see cref="CompletionBatch"/>).
    /// </summary>
    public abstract bool OnReply(in FrameHeader header, in ReadOnlySequence<byte> payload);

    /// <summary>Hands the outcome kept by <see cref="OnReply"/> to the caller (runs its continuation).</summary>
    public virtual void Complete()
    {
    }

    /// <summary>Completes the request with an error.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Called with the connection's lock held, right after the request joined its pending table.</summary>
    public void WatchCancellation(CancellationToken cancellationToken) =>
        _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((PendingRequest)state!).OnCanceled(token), this);

    /// <summary>Drops the cancellation callback (waits for it if it is running on another thread).</summary>
    protected void ReleaseCancellation()
    {
        _cancellation.Dispose();
        _cancellation = default;
    }

    private void OnCanceled(CancellationToken token)
    {
        if (Connection?.TryAbandon(this) == true)
        {
            Fail(new OperationCanceledException($"The {Opcode} request was canceled; it may or may not have been applied.", token));
        }
    }
}
