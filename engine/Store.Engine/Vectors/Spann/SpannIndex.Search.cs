using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Store.Storage;

namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    /// <summary>
    /// The k nearest vectors to an encoded query: the nearest heads from the head graph (heads are
    /// results too), lists pruned by d(q, h_j) &lt;= (1 + epsilon) d(q, h_1) up to <paramref name="lists"/>,
    /// read together, duplicates skipped, exact distances. Vectors whose bit is set in
    /// <paramref name="deleted"/> are skipped. Writes results nearest first; returns how many.
    /// </summary>
    public int Search(ReadOnlySpan<byte> query, int k, int ef, int lists, float epsilon, ulong[]? deleted, Span<float> distances, Span<int> ids)
    {
        if (!_contexts.TryTake(out PostingReadContext? context))
        {
            context = new PostingReadContext(lists, VectorCount);
        }

        try
        {
            return Search(context, query, k, ef, lists, epsilon, deleted, distances, ids);
        }
        finally
        {
            _contexts.Add(context);
        }
    }

    private int Search(PostingReadContext context, ReadOnlySpan<byte> query, int k, int ef, int lists, float epsilon, ulong[]? deleted, Span<float> distances, Span<int> ids)
    {
        int wanted = Math.Max(lists, 1);
        context.ReserveHeads(wanted);
        context.Begin(VectorCount);
        int found = Graph.Search(query, Math.Max(ef, wanted), context.HeadDistances.AsSpan(0, wanted), context.HeadIds.AsSpan(0, wanted));
        DistanceHeap top = context.Top;

        // Heads are real vectors: they compete for the top k with what the lists hold.
        for (int i = 0; i < found; i++)
        {
            Offer(context, top, k, HeadVectors[context.HeadIds[i]], context.HeadDistances[i], deleted);
        }

        // Which lists: nearest first, while within (1 + epsilon) of the nearest head (not for inner
        // product, whose distances can be negative, where only the count limits).
        int chosen = found;
        if (Space.Metric != VectorMetric.InnerProduct && found > 0)
        {
            float reference = context.HeadDistances[0];
            for (int i = 1; reference <= 0 && i < found; i++)
            {
                reference = context.HeadDistances[i]; // the query sits on a head: measure from the next one out
            }

            float limit = reference <= 0 ? float.MaxValue : (1 + epsilon) * reference;
            chosen = 0;
            while (chosen < found && context.HeadDistances[chosen] <= limit)
            {
                chosen++;
            }
        }

        ReadAndScan(context, query, k, chosen, deleted);
        return top.DrainAscending(distances[..Math.Min(k, distances.Length)], ids);
    }

    /// <summary>
    /// Reads the chosen heads' lists into the context's buffer and scans each as it arrives: through AIO
    /// when it can (a list is decompressed and measured while later ones are still in flight), else one
    /// after another.
    /// </summary>
    private unsafe void ReadAndScan(PostingReadContext context, ReadOnlySpan<byte> query, int k, int count, ulong[]? deleted)
    {
        int bytes = 0;
        for (int i = 0; i < count; i++)
        {
            bytes += Directory.PageCounts[context.HeadIds[i]] * PostingFile.PageSize;
        }

        context.Reserve(count, bytes);
        byte* buffer = context.Buffer!.Pointer;
        int offset = 0;
        for (int i = 0; i < count; i++)
        {
            int head = context.HeadIds[i];
            int length = Directory.PageCounts[head] * PostingFile.PageSize;
            context.Requests[i] = new ReadRequest(Directory.FirstPages[head] * PostingFile.PageSize, length, buffer + offset);
            context.ListOffsets[i] = offset;
            offset += length;
        }

        int submitted = 0;
        if (context.Aio is { } aio && _postings.Descriptor >= 0 && count <= aio.Capacity)
        {
            // Lists go to the device one by one, nearest first, and whatever has landed is scanned
            // between hand-overs: the CPU work of a search (the kernel's share of each submit, the
            // unpacking and the distances) overlaps the device's, where one batch would serialise them.
            int outstanding = 0;
            Span<int> completed = context.Completed.AsSpan(0, count);
            try
            {
                while (submitted < count && aio.Submit(_postings.Descriptor, context.Requests.AsSpan(0, count), submitted, 1) == 1)
                {
                    submitted++;
                    outstanding++;
                    if (submitted < count)
                    {
                        int landed = aio.Poll(outstanding, completed, context.Results);
                        outstanding -= landed; // before the scan: a list that fails its checks throws
                        ScanCompleted(context, query, k, deleted, completed, landed);
                    }
                }

                while (outstanding > 0)
                {
                    int landed = aio.WaitSome(outstanding, completed, context.Results);
                    outstanding -= landed;
                    ScanCompleted(context, query, k, deleted, completed, landed);
                }
            }
            finally
            {
                // A list that failed its checks throws: let the reads still in flight land before the
                // context (and its buffer) goes back to the pool.
                while (outstanding > 0)
                {
                    outstanding -= aio.WaitSome(outstanding, completed, context.Results);
                }
            }
        }

        for (int i = submitted; i < count; i++)
        {
            ReadOne(context.Requests[i]);
            ScanList(context, query, k, i, deleted);
        }
    }

    /// <summary>
    /// Scans the <paramref name="n"/> lists an AIO reap reported (a short or failed read is read again
    /// plainly). The caller counts them as landed first: a list that fails its checks throws, and the
    /// reads still in flight are then waited for by what remains outstanding.
    /// </summary>
    private void ScanCompleted(PostingReadContext context, ReadOnlySpan<byte> query, int k, ulong[]? deleted, ReadOnlySpan<int> completed, int n)
    {
        for (int j = 0; j < n; j++)
        {
            int i = completed[j];
            if (context.Results[j] != context.Requests[i].Length)
            {
                ReadOne(context.Requests[i]);
            }

            ScanList(context, query, k, i, deleted);
        }
    }

    private unsafe void ReadOne(ReadRequest request)
    {
        int n = _postings.Read(new Span<byte>(request.Destination, request.Length), request.Offset);
        if (n != request.Length)
        {
            ThrowShortRead(request.Offset, request.Length, n);
        }
    }

    /// <summary>Checks, unpacks and measures list <paramref name="i"/> of the batch read into the context's buffer.</summary>
    private unsafe void ScanList(PostingReadContext context, ReadOnlySpan<byte> query, int k, int i, ulong[]? deleted)
    {
        int codeSize = Space.CodeSize;
        DistanceHeap top = context.Top;
        int head = context.HeadIds[i];
        int entries = Directory.EntryCounts[head];
        var region = new ReadOnlySpan<byte>(context.Buffer!.Pointer + context.ListOffsets[i], Directory.PageCounts[head] * PostingFile.PageSize);
        int storedLength = BinaryPrimitives.ReadInt32LittleEndian(region[8..]);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(region[12..]);
        if (BinaryPrimitives.ReadInt32LittleEndian(region) != entries || storedLength < 0 || storedLength > region.Length - PostingFile.ListHeaderSize)
        {
            ThrowCorruptList(head, context.Requests[i].Offset);
        }

        ReadOnlySpan<byte> stored = region.Slice(PostingFile.ListHeaderSize, storedLength);
        if (Options.VerifyPostings && !IsVerified(head))
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(region[4..]) != Crc32C.Compute(stored))
            {
                ThrowCorruptList(head, context.Requests[i].Offset);
            }

            MarkVerified(head);
        }

        int bodyBytes = (int)PostingFile.BodyBytes(entries, codeSize);
        ReadOnlySpan<byte> body = stored;
        if ((flags & PostingFile.CompressedFlag) != 0)
        {
            Span<byte> unpacked = context.Unpacked(bodyBytes);
            if (!Lz4.IsAvailable || !Lz4.TryDecompress(stored, unpacked))
            {
                ThrowUnpackFailed(head, context.Requests[i].Offset);
            }

            body = unpacked;
        }
        else if (storedLength != bodyBytes)
        {
            ThrowCorruptList(head, context.Requests[i].Offset);
        }

        ReadOnlySpan<int> ids = MemoryMarshal.Cast<byte, int>(body[..(entries * sizeof(int))]);
        ReadOnlySpan<byte> codes = body[(entries * sizeof(int))..];
        for (int j = 0; j < ids.Length; j++)
        {
            int id = ids[j];
            if ((uint)id >= (uint)VectorCount)
            {
                ThrowCorruptList(head, context.Requests[i].Offset);
            }

            if (!context.FirstSight(id) || IsSet(deleted, id))
            {
                continue;
            }

            float d = Space.Distance(query, codes.Slice(j * codeSize, codeSize));
            if (top.Count < k)
            {
                top.Push(d, id);
            }
            else if (d < top.TopDistance)
            {
                top.Pop();
                top.Push(d, id);
            }
        }
    }

    private static void Offer(PostingReadContext context, DistanceHeap top, int k, int id, float distance, ulong[]? deleted)
    {
        if (!context.FirstSight(id) || IsSet(deleted, id))
        {
            return;
        }

        if (top.Count < k)
        {
            top.Push(distance, id);
        }
        else if (distance < top.TopDistance)
        {
            top.Pop();
            top.Push(distance, id);
        }
    }

    private bool IsVerified(int list) => (Volatile.Read(ref _verified[list >> 6]) & (1UL << (list & 63))) != 0;

    private void MarkVerified(int list) => Interlocked.Or(ref _verified[list >> 6], 1UL << (list & 63));

    private static bool IsSet(ulong[]? bits, int id) => bits is not null && (id >> 6) < bits.Length && (bits[id >> 6] & (1UL << (id & 63))) != 0;

    [DoesNotReturn]
    private void ThrowCorruptList(int head, long offset) =>
        throw new StoreCorruptionException(_postings.Path, offset, $"posting list {head} fails its checksum or names a vector that does not exist; rebuild the index");

    [DoesNotReturn]
    private void ThrowUnpackFailed(int head, long offset) =>
        throw new StoreCorruptionException(_postings.Path, offset, Lz4.IsAvailable
            ? $"posting list {head} does not decompress; rebuild the index"
            : $"posting list {head} is LZ4-compressed and liblz4.so.1 cannot be loaded; install liblz4-1");

    [DoesNotReturn]
    private void ThrowShortRead(long offset, int length, int read) =>
        throw new StoreCorruptionException(_postings.Path, offset, $"a posting list of {length} bytes could only be read for {read} (the file was cut short)");
}
