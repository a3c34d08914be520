using System.Buffers;
using System.Buffers.Binary;

namespace Store.Server;

/// <summary>
/// A growable byte buffer from the shared pool for replies whose size is known only once they are
/// built (MultiGet, scan batches). Reused across requests; an oversized array goes back to the pool
/// once the reply is out.
/// </summary>
internal sealed class ReplyBuffer : IBufferWriter<byte>, IDisposable
{
    private const int KeepBytes = 256 * 1024;
    private byte[] _array = ArrayPool<byte>.Shared.Rent(4096);
    private int _length;

    /// <summary>Bytes written so far.</summary>
    public int Length => _length;

    /// <summary>The bytes written.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>Empties the buffer, giving a large array back to the pool.</summary>
    public void Clear()
    {
        _length = 0;
        if (_array.Length > KeepBytes)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = ArrayPool<byte>.Shared.Rent(4096);
        }
    }

    /// <inheritdoc />
    public void Advance(int count) => _length += count;

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsMemory(_length);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _array.AsSpan(_length);
    }

    /// <summary>Skips <paramref name="count"/> bytes to fill in later; returns their offset.</summary>
    public int Reserve(int count)
    {
        Ensure(count);
        int offset = _length;
        _length += count;
        return offset;
    }

    /// <summary>Writes a u8 at <paramref name="offset"/>.</summary>
    public void PatchByte(int offset, byte value) => _array[offset] = value;

    /// <summary>Writes a u32 at <paramref name="offset"/>.</summary>
    public void PatchUInt32(int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_array.AsSpan(offset), value);

    /// <summary>Appends a bytes field (u32 length, bytes).</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(4 + value.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(_array.AsSpan(_length), (uint)value.Length);
        value.CopyTo(_array.AsSpan(_length + 4));
        _length += 4 + value.Length;
    }

    /// <summary>Bytes [offset, offset + count) of what was written.</summary>
    public ReadOnlySpan<byte> Slice(int offset, int count) => _array.AsSpan(offset, count);

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        _length = 0;
    }

    private void Ensure(int sizeHint)
    {
        int needed = _length + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        _array.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
