using System.Buffers;
using System.Buffers.Binary;

namespace Store.Index;

/// <summary>
/// Forward cursor over a key range of a <see cref="BSkipList"/>, safe under concurrent change:
/// it returns keys strictly increasing, only inside its range, and every key that is present for
/// the whole scan. It copies one leaf at a time (validated against the leaf's version), so it
/// never blocks writers. Not thread-safe itself; dispose it to return its buffers.
/// </summary>
public sealed class BSkipListCursor : IDisposable
{
    private BSkipList? _list;
    private byte[] _resume = [];
    private int _resumeLength;
    private bool _resumeInclusive;
    private byte[] _end = [];
    private int _endLength;
    private bool _hasEnd;
    private BSkipNode? _hint;
    private bool _exhausted;

    private byte[] _keys = [];
    private int[] _offsets = [];
    private long[] _values = [];
    private int _batchCount;
    private int _position;
    private int _batchLimit = int.MaxValue;

    internal BSkipListCursor()
    {
    }

    /// <summary>Key at the cursor; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Key => _keys.AsSpan(_offsets[_position], _offsets[_position + 1] - _offsets[_position]);

    /// <summary>Value at the cursor.</summary>
    public long Value => _values[_position];

    /// <summary>
    /// Most entries copied per leaf visit (default: the whole leaf). A scan that needs only a few
    /// keys sets it so a seek does not copy a leaf it will not read.
    /// </summary>
    public int BatchLimit
    {
        get => _batchLimit;
        set => _batchLimit = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "BatchLimit must be positive.");
    }

    /// <summary>Advances to the next key; false when the range is exhausted.</summary>
    public bool MoveNext()
    {
        ObjectDisposedException.ThrowIf(_list is null, this);
        while (true)
        {
            if (_position + 1 < _batchCount)
            {
                _position++;
                return true;
            }

            if (_exhausted)
            {
                _position = _batchCount;
                return false;
            }

            FillBatch();
        }
    }

    /// <summary>Returns the cursor's buffers to the shared pool.</summary>
    public void Dispose()
    {
        if (_list is null)
        {
            return;
        }

        _list = null;
        _hint = null;
        Return(ref _keys);
        Return(ref _offsets);
        Return(ref _values);
        Return(ref _resume);
        Return(ref _end);
        _batchCount = 0;
    }

    /// <summary>Drops the references to the list but keeps the buffers, for a per-thread spare cursor.</summary>
    internal void Detach()
    {
        _list = null;
        _hint = null;
        _batchCount = 0;
        _batchLimit = int.MaxValue;
    }

    internal void Reset(BSkipList list, ReadOnlySpan<byte> fromInclusive, ReadOnlySpan<byte> toExclusive, bool hasEnd)
    {
        _list = list;
        Grow(ref _resume, fromInclusive.Length);
        fromInclusive.CopyTo(_resume);
        _resumeLength = fromInclusive.Length;
        _resumeInclusive = true;
        _hasEnd = hasEnd;
        if (hasEnd)
        {
            Grow(ref _end, toExclusive.Length);
            toExclusive.CopyTo(_end);
            _endLength = toExclusive.Length;
        }

        Grow(ref _offsets, list.NodeCapacity + 1);
        Grow(ref _values, list.NodeCapacity);
        Grow(ref _keys, list.NodeCapacity * 16);
        _hint = null;
        _exhausted = false;
        _batchCount = 0;
        _position = -1;
    }

    /// <summary>Copies the next leaf's entries in range, retrying until the copy validates.</summary>
    private void FillBatch()
    {
        ReadOnlySpan<byte> resume = _resume.AsSpan(0, _resumeLength);
        ReadOnlySpan<byte> end = _end.AsSpan(0, _endLength);
        ulong resumePrefix = KeyOrder.Prefix(resume);
        ulong endPrefix = KeyOrder.Prefix(end);
        BSkipNode node = _hint ?? _list!.DescendToLeaf(resumePrefix, resume);
        while (true)
        {
            long v = node.StableVersion();
            if (BSkipList.Redirect(ref node, v, resumePrefix, resume))
            {
                continue;
            }

            int n = Math.Min(node.Count, node.Capacity);
            int i = node.LowerBound(resumePrefix, resume, out bool found);
            if (found && !_resumeInclusive)
            {
                i++;
            }

            int count = 0;
            int bytes = 0;
            bool reachedEnd = false;
            int e = i;
            for (; e < n && count < _batchLimit; e++)
            {
                if (_hasEnd && node.CompareEntry(e, endPrefix, end) >= 0)
                {
                    reachedEnd = true;
                    break;
                }

                bytes += CopyEntry(node, e, count, bytes);
                count++;
            }

            BSkipNode? next = node.Next;
            if (!node.Validate(v))
            {
                continue;
            }

            _batchCount = count;
            _position = -1;
            if (!reachedEnd && e < n)
            {
                // Stopped inside the leaf: resume right after the last key copied, in this leaf.
                int last = _offsets[count] - _offsets[count - 1];
                Grow(ref _resume, last);
                _keys.AsSpan(_offsets[count - 1], last).CopyTo(_resume);
                _resumeLength = last;
                _resumeInclusive = false;
                _hint = node;
                return;
            }

            if (reachedEnd || next is null || (_hasEnd && !next.LowBelow(endPrefix, end)))
            {
                _exhausted = true;
                _hint = null;
                return;
            }

            // Everything below next's fence was in this leaf when it validated: resume exactly there.
            Grow(ref _resume, next.LowLength);
            _resumeLength = next.CopyLow(_resume);
            _resumeInclusive = true;
            _hint = next;
            return;
        }
    }

    private int CopyEntry(BSkipNode node, int e, int slot, int at)
    {
        int r = node.KeyRefAt(e);
        ulong prefix = node.PrefixAt(e);
        ReadOnlySpan<byte> suffix = r < 0 ? default : node.SuffixAt(r);
        int length = r < 0 ? Math.Min(~r, KeyOrder.InlineLength) : KeyOrder.PrefixLength + suffix.Length;
        if (_keys.Length - at < length)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_keys.Length * 2, at + length));
            _keys.AsSpan(0, at).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_keys);
            _keys = grown;
        }

        Span<byte> target = _keys.AsSpan(at, length);
        if (r < 0)
        {
            KeyOrder.WriteInline(prefix, length > KeyOrder.PrefixLength ? node.SecondAt(e) : 0, length, target);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(target, prefix);
            suffix.CopyTo(target[KeyOrder.PrefixLength..]);
        }

        _values[slot] = node.ValueAt(e);
        _offsets[slot] = at;
        _offsets[slot + 1] = at + length;
        return length;
    }

    private static void Grow<T>(ref T[] array, int length)
    {
        if (array.Length >= length)
        {
            return;
        }

        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array);
        }

        array = ArrayPool<T>.Shared.Rent(Math.Max(length, 16));
    }

    private static void Return<T>(ref T[] array)
    {
        if (array.Length > 0)
        {
            ArrayPool<T>.Shared.Return(array);
        }

        array = [];
    }
}
