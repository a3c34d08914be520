using System.Buffers;
using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

/// <summary>
/// The state of a connection's running scan: its range, how many entries it may still return and where
/// to resume. The scan runs in batches of at most <see cref="BatchBytes"/> (one entry alone may be
/// larger); each batch is one reply frame, and between batches the connection flushes, so a client that
/// reads slowly slows the scan instead of the server buffering it.
/// </summary>
internal sealed class ScanCursor : IDisposable
{
    /// <summary>Most payload bytes of one scan reply frame (unless a single entry is larger).</summary>
    public const int BatchBytes = 64 * 1024;

    private readonly ReplyBuffer _batch = new();
    private readonly KvScanVisitor _visitor;
    private byte[] _from = [];
    private byte[] _to = [];
    private byte[] _resume = [];
    private int _fromLength;
    private int _toLength;
    private int _resumeLength;
    private bool _unbounded;
    private bool _resuming;
    private long _remaining;
    private uint _count;
    private bool _full;
    private int _lastKeyOffset;
    private int _lastKeyLength;

    public ScanCursor() => _visitor = Visit;

    /// <summary>True between <see cref="Start"/> and the last batch.</summary>
    public bool Active { get; private set; }

    /// <summary>The request being answered.</summary>
    public FrameHeader Request { get; private set; }

    /// <summary>When the request was parsed (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long Started { get; private set; }

    /// <summary>The keyspace scanned.</summary>
    public Keyspace? Keyspace { get; private set; }

    /// <summary>Entries of the batch last built, as a scan reply payload.</summary>
    public ReadOnlySpan<byte> Batch => _batch.WrittenSpan;

    /// <summary>Begins a scan of [from, to) (<paramref name="unbounded"/>: to the end), at most <paramref name="limit"/> entries (0: all).</summary>
    public void Start(in FrameHeader request, long started, Keyspace keyspace, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to, bool unbounded, uint limit)
    {
        Request = request;
        Started = started;
        Keyspace = keyspace;
        Copy(from, ref _from, ref _fromLength);
        Copy(to, ref _to, ref _toLength);
        _unbounded = unbounded;
        _remaining = limit == 0 ? long.MaxValue : limit;
        _resuming = false;
        Active = true;
    }

    /// <summary>Builds the next batch into <see cref="Batch"/>; true if it is the last one.</summary>
    public bool NextBatch()
    {
        _batch.Clear();
        _batch.Reserve(4);
        _count = 0;
        _full = false;
        if (_remaining > 0)
        {
            ReadOnlySpan<byte> start = _resuming ? _resume.AsSpan(0, _resumeLength) : _from.AsSpan(0, _fromLength);
            if (_unbounded)
            {
                Keyspace!.ScanFrom(start, _visitor);
            }
            else
            {
                Keyspace!.Scan(start, _to.AsSpan(0, _toLength), _visitor);
            }
        }

        _batch.PatchUInt32(0, _count);
        bool last = !_full || _remaining == 0;
        if (!last)
        {
            Copy(_batch.Slice(_lastKeyOffset, _lastKeyLength), ref _resume, ref _resumeLength);
            _resuming = true;
        }

        return last;
    }

    /// <summary>Ends the scan.</summary>
    public void Finish()
    {
        Active = false;
        Keyspace = null;
        _batch.Clear();
    }

    public void Dispose()
    {
        _batch.Dispose();
        Return(_from);
        Return(_to);
        Return(_resume);
    }

    private bool Visit(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (_resuming && _count == 0 && key.SequenceEqual(_resume.AsSpan(0, _resumeLength)))
        {
            return true; // the previous batch's last key, where this batch resumed
        }

        int size = 8 + key.Length + value.Length;
        if (_count > 0 && _batch.Length + size > BatchBytes)
        {
            _full = true;
            return false;
        }

        _lastKeyOffset = _batch.Length + 4;
        _lastKeyLength = key.Length;
        _batch.WriteBytes(key);
        _batch.WriteBytes(value);
        _count++;
        return --_remaining > 0;
    }

    private static void Copy(ReadOnlySpan<byte> source, ref byte[] destination, ref int length)
    {
        if (destination.Length < source.Length)
        {
            Return(destination);
            destination = ArrayPool<byte>.Shared.Rent(source.Length);
        }

        source.CopyTo(destination);
        length = source.Length;
    }

    private static void Return(byte[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
