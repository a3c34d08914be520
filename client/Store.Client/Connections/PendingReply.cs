using System.Buffers;
using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;
using Store.Client.Protocol;
using Store.Client.Requests;

namespace Store.Client.Connections;

/// <summary>
/// A pending request with a single reply frame, parsed by <typeparamref name="TParser"/>; the caller
/// awaits it as a <see cref="ValueTask{TResult}"/> over this object, which goes back to a pool once
/// the result is read, so a request allocates nothing of its own in the steady state.
/// </summary>
internal sealed class PendingReply<TResult, TParser> : PendingRequest, IValueTaskSource<TResult>, IValueTaskSource
    where TParser : IReplyParser<TResult>
{
    private static readonly ConcurrentQueue<PendingReply<TResult, TParser>> Pool = new();

    // Continuations run where the outcome is handed over: a completion batch on the thread pool for
    // replies (never the connection's receive loop, so a caller that blocks cannot stall every other
    // reply), a pool work item for failures (timeouts, cancellation, a dropped connection).
    private ManualResetValueTaskSourceCore<TResult> _core = new() { RunContinuationsAsynchronously = false };
    private TResult? _result;
    private Exception? _error;

    private PendingReply()
    {
    }

    /// <summary>The token of the current use, for the <see cref="ValueTask{TResult}"/>.</summary>
    public short Version => _core.Version;

    public static PendingReply<TResult, TParser> Rent(string? keyspace, long deadlineMs)
    {
        if (!Pool.TryDequeue(out PendingReply<TResult, TParser>? request))
        {
            request = new PendingReply<TResult, TParser>();
        }

        request.Keyspace = keyspace;
        request.DeadlineMs = deadlineMs;
        return request;
    }

    /// <summary>Returns a request that was never handed to a caller.</summary>
    public void Recycle()
    {
        ReleaseCancellation();
        _core.Reset();
        _result = default;
        _error = null;
        Keyspace = null;
        Connection = null;
        Pool.Enqueue(this);
    }

    public ValueTask<TResult> AsValueTask() => new(this, _core.Version);

    public ValueTask AsUntypedValueTask() => new(this, _core.Version);

    public override bool OnReply(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        ReleaseCancellation();
        try
        {
            if (header.Status is not (StatusCode.Ok or StatusCode.NotFound or StatusCode.ConditionFailed))
            {
                _error = StatusErrors.ToException(header.Status, payload, Keyspace);
            }
            else if (payload.IsSingleSegment)
            {
                _result = TParser.Parse(header.Status, payload.FirstSpan);
            }
            else
            {
                byte[] copy = ArrayPool<byte>.Shared.Rent((int)payload.Length);
                try
                {
                    payload.CopyTo(copy);
                    _result = TParser.Parse(header.Status, copy.AsSpan(0, (int)payload.Length));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(copy);
                }
            }
        }
        catch (ProtocolException e)
        {
            _error = new StoreServerException(StatusCode.BadRequest, $"The reply to {Opcode} does not parse ({e.Message}); client and server disagree on the protocol.", e);
        }

        return true;
    }

    public override void Complete()
    {
        if (_error is { } error)
        {
            _error = null;
            _core.SetException(error);
        }
        else
        {
            TResult result = _result!;
            _result = default;
            _core.SetResult(result);
        }
    }

    public override void Fail(Exception error)
    {
        ReleaseCancellation();
        _error = error;
        ThreadPool.UnsafeQueueUserWorkItem(static request => request.Complete(), this, preferLocal: false);
    }

    public TResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            _core.Reset();
            Keyspace = null;
            Connection = null;
            Pool.Enqueue(this);
        }
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
