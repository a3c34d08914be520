using System.Diagnostics.CodeAnalysis;
using Store.Storage;

namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    /// <summary>
    /// The k nearest live vectors to an encoded query: the nearest heads from the head graph (heads that
    /// stand for a live vector are results too), lists pruned by d(q, h_j) &lt;= (1 + epsilon) d(q, h_1)
    /// up to <paramref name="lists"/>, their blocks read together, entries of deleted vectors (version map)
    /// and duplicates skipped, exact distances; repeated if a chosen head was removed meanwhile. Writes
    /// results nearest first; returns how many.
    /// </summary>
    public int Search(ReadOnlySpan<byte> query, int k, int ef, int lists, Span<float> distances, Span<int> ids, float epsilon)
    {
        if (!_contexts.TryTake(out PostingReadContext? context))
        {
            context = new PostingReadContext(lists, Versions.Count);
        }

        _searchGate.EnterReadLock();
        try
        {
            return Search(context, query, k, ef, lists, epsilon, distances, ids);
        }
        finally
        {
            _searchGate.ExitReadLock();
            _contexts.Add(context);
        }
    }

    private int Search(PostingReadContext context, ReadOnlySpan<byte> query, int k, int ef, int lists, float epsilon, Span<float> distances, Span<int> ids)
    {
        // A head split or merged away between the head search and the read of its list takes its
        // vectors to heads the walk may not have seen (they were linked in before the list was
        // dropped): search again, which sees them.
        for (int attempt = 1; ; attempt++)
        {
            if (SearchOnce(context, query, k, ef, lists, epsilon) || attempt == MaxSearchAttempts)
            {
                return context.Top.DrainAscending(distances[..Math.Min(k, distances.Length)], ids);
            }
        }
    }

    /// <summary>One head search and the scan of the chosen lists into context.Top; false if a chosen head's list was removed meanwhile.</summary>
    private bool SearchOnce(PostingReadContext context, ReadOnlySpan<byte> query, int k, int ef, int lists, float epsilon)
    {
        int wanted = Math.Max(lists, 1);
        context.ReserveHeads(wanted);
        context.Begin(Versions.Count);
        int found = Graph.Search(query, Math.Max(ef, wanted), context.HeadDistances.AsSpan(0, wanted), context.HeadIds.AsSpan(0, wanted));
        DistanceHeap top = context.Top;

        // Heads that are real vectors compete for the top k with what the lists hold.
        for (int i = 0; i < found; i++)
        {
            int vector = HeadVectorOf(context.HeadIds[i]);
            if (vector >= 0 && Versions.IsLive(vector) && context.FirstSight(vector))
            {
                Offer(top, k, vector, context.HeadDistances[i]);
            }
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

        return ReadAndScan(context, query, k, chosen);
    }

    /// <summary>
    /// Reads the blocks of the chosen heads' lists (runs of adjacent blocks as one request) into the
    /// context's buffer and scans each request as it lands: through AIO when it can, else one after another.
    /// Returns false if a chosen head's list had been removed (split or merged away) by then.
    /// </summary>
    private unsafe bool ReadAndScan(PostingReadContext context, ReadOnlySpan<byte> query, int k, int count)
    {
        bool complete = true;
        int blockBytes = Store.Layout.BlockBytes;
        UnsyncedBlocks unsynced = Store.Unsynced;
        bool anyUnsynced = !unsynced.IsEmpty;
        int requests = 0;
        int totalBlocks = 0;
        for (int i = 0; i < count; i++)
        {
            PostingList? list = ListOf(context.HeadIds[i]);
            context.Lists[i] = list;
            if (list is null)
            {
                complete = false;
                continue;
            }

            totalBlocks += list.Blocks.Length;
            for (int b = 0; b < list.Blocks.Length; b++)
            {
                // With blocks in memory a block may be a request of its own: count each (an upper bound).
                if (b == 0 || anyUnsynced || list.Blocks[b] != list.Blocks[b - 1] + 1)
                {
                    requests++;
                }
            }
        }

        context.Reserve(requests, totalBlocks * blockBytes);
        byte* buffer = context.Buffer!.Pointer;
        int offset = 0;
        int r = 0;
        for (int i = 0; i < count; i++)
        {
            PostingList? list = context.Lists[i];
            if (list is null)
            {
                continue;
            }

            for (int b = 0; b < list.Blocks.Length; b++)
            {
                // A block written since the last sync is copied from memory now (its request is done);
                // only runs of blocks on disk are merged into one read.
                bool inMemory = anyUnsynced && unsynced.TryCopy(list.Blocks[b], new Span<byte>(buffer + offset, blockBytes));
                if (!inMemory && b > 0 && list.Blocks[b] == list.Blocks[b - 1] + 1 && !context.RequestInMemory[r - 1])
                {
                    context.RequestBlocks[r - 1]++;
                    ReadRequest previous = context.Requests[r - 1];
                    context.Requests[r - 1] = new ReadRequest(previous.Offset, previous.Length + blockBytes, previous.Destination);
                }
                else
                {
                    context.Requests[r] = new ReadRequest(Store.OffsetOf(list.Blocks[b]), blockBytes, buffer + offset);
                    context.RequestList[r] = i;
                    context.RequestFirstBlock[r] = b;
                    context.RequestBlocks[r] = 1;
                    context.RequestInMemory[r] = inMemory;
                    r++;
                }

                offset += blockBytes;
            }
        }

        requests = r;
        int submitted = 0;
        if (context.Aio is { } aio && Store.File.Descriptor >= 0 && requests <= aio.Capacity)
        {
            // Requests go to the device one by one, nearest list first, and whatever has landed is
            // scanned between hand-overs, so the CPU work of a search overlaps the device's.
            int outstanding = 0;
            Span<int> completed = context.Completed.AsSpan(0, requests);
            try
            {
                while (submitted < requests)
                {
                    if (context.RequestInMemory[submitted])
                    {
                        ScanRequest(context, query, k, submitted++);
                        continue;
                    }

                    if (aio.Submit(Store.File.Descriptor, context.Requests.AsSpan(0, requests), submitted, 1) != 1)
                    {
                        break;
                    }

                    submitted++;
                    outstanding++;
                    if (submitted < requests)
                    {
                        // Reaped reads leave the count before they are scanned: a scan that throws must not
                        // leave the drain below waiting for completions already taken.
                        int landed = aio.Poll(outstanding, completed, context.Results);
                        outstanding -= landed;
                        ScanCompleted(context, query, k, completed, landed);
                    }
                }

                while (outstanding > 0)
                {
                    int landed = aio.WaitSome(outstanding, completed, context.Results);
                    outstanding -= landed;
                    ScanCompleted(context, query, k, completed, landed);
                }
            }
            finally
            {
                // A block that failed its checks throws: let the reads still in flight land before the
                // context (and its buffer) goes back to the pool.
                while (outstanding > 0)
                {
                    outstanding -= aio.WaitSome(outstanding, completed, context.Results);
                }
            }
        }

        for (int i = submitted; i < requests; i++)
        {
            if (!context.RequestInMemory[i])
            {
                ReadOne(context.Requests[i]);
            }

            ScanRequest(context, query, k, i);
        }

        return complete;
    }

    /// <summary>Scans the <paramref name="n"/> requests an AIO reap reported (a short or failed read is read again plainly).</summary>
    private void ScanCompleted(PostingReadContext context, ReadOnlySpan<byte> query, int k, ReadOnlySpan<int> completed, int n)
    {
        for (int j = 0; j < n; j++)
        {
            int i = completed[j];
            if (context.Results[j] != context.Requests[i].Length)
            {
                ReadOne(context.Requests[i]);
            }

            ScanRequest(context, query, k, i);
        }
    }

    private unsafe void ReadOne(ReadRequest request)
    {
        int n = Store.File.Read(new Span<byte>(request.Destination, request.Length), request.Offset);
        if (n != request.Length)
        {
            ThrowShortRead(request.Offset, request.Length, n);
        }
    }

    /// <summary>Checks and measures the blocks of request <paramref name="r"/>: entries of deleted vectors and vectors already seen are skipped.</summary>
    private unsafe void ScanRequest(PostingReadContext context, ReadOnlySpan<byte> query, int k, int r)
    {
        PostingBlock layout = Store.Layout;
        DistanceHeap top = context.Top;
        int listIndex = context.RequestList[r];
        PostingList list = context.Lists[listIndex]!;
        int head = context.HeadIds[listIndex];
        int vectorCount = Versions.Count;
        for (int b = 0; b < context.RequestBlocks[r]; b++)
        {
            int blockIndex = context.RequestFirstBlock[r] + b;
            var block = new ReadOnlySpan<byte>(context.Requests[r].Destination + (b * layout.BlockBytes), layout.BlockBytes);
            int entries = layout.EntriesIn(list.Count, list.Blocks.Length, blockIndex);
            if (!layout.IsIntact(block, head, entries, Options.VerifyPostings))
            {
                ThrowCorruptBlock(head, list.Blocks[blockIndex]);
            }

            for (int j = 0; j < entries; j++)
            {
                int id = layout.IdAt(block, j);
                if ((uint)id >= (uint)vectorCount)
                {
                    ThrowCorruptBlock(head, list.Blocks[blockIndex]);
                }

                // Any entry of a live vector counts, stale ones too: a vector's code never changes under
                // its internal id (a replace takes a new id), so a replica a reassignment left behind
                // measures the same distance, and skipping it would hide the vector from a search that
                // read its new lists before the move and its old ones after. Vectors inserted after the
                // search began may be left out.
                if (id >= context.VectorsAtBegin || !Versions.IsLive(id) || !context.FirstSight(id))
                {
                    continue;
                }

                Offer(top, k, id, Space.Distance(query, layout.CodeAt(block, j)));
            }
        }
    }

    private static void Offer(DistanceHeap top, int k, int id, float distance)
    {
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

    [DoesNotReturn]
    private void ThrowShortRead(long offset, int length, int read) =>
        throw new StoreCorruptionException(Store.File.Path, offset, $"{length} bytes of posting blocks could only be read for {read} (the file was cut short); rebuild the index");
}
