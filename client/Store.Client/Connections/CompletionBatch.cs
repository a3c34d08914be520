namespace Store.Client.Connections;

/// <summary>
/// The requests whose replies one read of a connection's receive loop parsed, completed together by
/// one thread-pool work item: one hand-off per read instead of one per reply, and the receive loop
/// never runs a caller's continuation, so a caller that blocks delays at most the callers completed
/// after it in the same batch, never the replies still to come.
/// </summary>
internal sealed class CompletionBatch : IThreadPoolWorkItem
{
    private readonly Action<CompletionBatch> _onDone;
    private PendingRequest[] _requests = new PendingRequest[64];
    private int _count;

    /// <param name="onDone">Called once the batch ran (to reuse it).</param>
    public CompletionBatch(Action<CompletionBatch> onDone) => _onDone = onDone;

    /// <summary>Requests waiting in the batch.</summary>
    public int Count => _count;

    /// <summary>Adds a request whose outcome is kept and whose <see cref="PendingRequest.Complete"/> is still to run.</summary>
    public void Add(PendingRequest request)
    {
        if (_count == _requests.Length)
        {
            Array.Resize(ref _requests, _count * 2);
        }

        _requests[_count++] = request;
    }

    /// <summary>Completes every request in order, then hands the batch back.</summary>
    public void Execute()
    {
        for (int i = 0; i < _count; i++)
        {
            PendingRequest request = _requests[i];
            _requests[i] = null!;
            request.Complete();
        }

        _count = 0;
        _onDone(this);
    }
}
