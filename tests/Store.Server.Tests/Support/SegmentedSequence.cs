using System.Buffers;

namespace Store.Server.Tests;

/// <summary>Builds multi-segment <see cref="ReadOnlySequence{T}"/>s, to test parsers on input cut anywhere.</summary>
internal static class SegmentedSequence
{
    /// <summary>The bytes as consecutive segments of the given lengths (the rest goes in a last segment).</summary>
    public static ReadOnlySequence<byte> Create(byte[] bytes, params int[] cuts)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        foreach (int cut in cuts)
        {
            pieces.Add(bytes.AsMemory(start, cut - start));
            start = cut;
        }

        pieces.Add(bytes.AsMemory(start));
        var first = new Segment(pieces[0], 0);
        Segment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every byte in a segment of its own.</summary>
    public static ReadOnlySequence<byte> ByteByByte(byte[] bytes) => Create(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
