using System.Buffers;

namespace Store.Client.Protocol;

/// <summary>What <see cref="FrameReader.TryRead"/> found at the start of a buffer.</summary>
public enum FrameReadResult
{
    /// <summary>Not a whole frame yet: read more.</summary>
    Incomplete,

    /// <summary>A whole frame; the buffer was advanced past it.</summary>
    Frame,

    /// <summary>The header announces a payload over the limit; the header is returned, the buffer is not advanced.</summary>
    TooLarge,
}

/// <summary>Cuts frames out of a byte stream (a pipe's buffer), whatever the segment boundaries.</summary>
public static class FrameReader
{
    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>: on <see cref="FrameReadResult.Frame"/>
    /// <paramref name="buffer"/> is advanced past it and <paramref name="payload"/> slices the original
    /// buffer (valid until the pipe is advanced).
    /// </summary>
    public static FrameReadResult TryRead(ref ReadOnlySequence<byte> buffer, uint maxPayloadBytes, out FrameHeader header, out ReadOnlySequence<byte> payload)
    {
        payload = default;
        header = default;
        if (buffer.Length < FrameHeader.Size)
        {
            return FrameReadResult.Incomplete;
        }

        Span<byte> bytes = stackalloc byte[FrameHeader.Size];
        ReadOnlySequence<byte> head = buffer.Slice(0, FrameHeader.Size);
        if (head.IsSingleSegment)
        {
            header = FrameHeader.Read(head.FirstSpan);
        }
        else
        {
            head.CopyTo(bytes);
            header = FrameHeader.Read(bytes);
        }

        if (header.PayloadLength > maxPayloadBytes)
        {
            return FrameReadResult.TooLarge;
        }

        long total = FrameHeader.Size + (long)header.PayloadLength;
        if (buffer.Length < total)
        {
            return FrameReadResult.Incomplete;
        }

        payload = buffer.Slice(FrameHeader.Size, header.PayloadLength);
        buffer = buffer.Slice(total);
        return FrameReadResult.Frame;
    }
}
