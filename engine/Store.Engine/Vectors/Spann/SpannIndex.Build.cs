namespace Store.Vectors;

internal sealed partial class SpannIndex
{
    /// <summary>
    /// Builds an index over every code in <paramref name="codes"/> (internal ids 0..Count-1, whose external
    /// ids are <paramref name="externalIds"/>, ascending) into <paramref name="directory"/> (its files
    /// replaced whole) and opens it. Steps: decode to floats, hierarchical balanced k-means for the heads,
    /// an HNSW over the heads, then each other vector is written to up to ReplicaCount lists of its
    /// CandidateHeads nearest heads chosen by the RNG rule, lists capped at MaxPostingVectors (closest
    /// kept), each list written as a run of blocks; then the first checkpoint.
    /// </summary>
    public static SpannIndex Build(string directory, VectorSpace space, CodeStore codes, IReadOnlyList<long> externalIds, SpannOptions options, IProgress<VectorProgress>? progress)
    {
        int count = codes.Count;
        int dimension = space.Dimension;
        if ((long)count * dimension > Array.MaxLength)
        {
            throw new InvalidOperationException($"{count} vectors of dimension {dimension} exceed what one SPANN build holds as floats ({Array.MaxLength} components).");
        }

        System.IO.Directory.CreateDirectory(directory);
        var data = new float[count * dimension];
        Parallel.For(0, count, i => space.Decode(codes[i], data.AsSpan(i * dimension, dimension)));
        progress?.Report(new VectorProgress("decode", count, count));

        int[] heads = count == 0 ? [] : HeadSelection.Select(data, count, dimension, options, progress);
        data = [];

        var headCodes = new CodeStore(space.CodeSize);
        foreach (int head in heads)
        {
            headCodes.Append(codes[head]);
        }

        var graph = new HnswGraph(space, headCodes, options.HeadGraph);
        long linked = 0;
        Parallel.For(0, heads.Length, h =>
        {
            graph.Insert(h);
            long done = Interlocked.Increment(ref linked);
            if (done % 4096 == 0)
            {
                progress?.Report(new VectorProgress("head graph", done, heads.Length));
            }
        });
        graph.RepairReachability(); // parallel inserts can prune the last link into a head too
        progress?.Report(new VectorProgress("head graph", heads.Length, heads.Length));

        int[][] lists = Assign(space, codes, heads, graph, options, progress);
        string postingsPath = System.IO.Path.Combine(directory, PostingsFile);
        PostingFile.Create(postingsPath, space);
        var table = new HeadTable(heads.Length);
        using (PostingStore store = PostingStore.Open(postingsPath, space, []))
        {
            var index = new SpannIndex(directory, space, options, count, new VersionMap(count), headCodes, table, graph, store, generation: 0);
            byte[] packed = [];
            for (int h = 0; h < heads.Length; h++)
            {
                int[] list = lists[h];
                if (packed.Length < list.Length * space.CodeSize)
                {
                    packed = new byte[list.Length * space.CodeSize * 2];
                }

                for (int j = 0; j < list.Length; j++)
                {
                    codes[list[j]].CopyTo(packed.AsSpan(j * space.CodeSize));
                }

                table.SetList(h, index.WriteList(h, list, new byte[list.Length], packed));
                table.SetVector(h, heads[h]);
            }

            index.Checkpoint([.. externalIds]);
            index.Maintenance.Dispose();
        }

        progress?.Report(new VectorProgress("written", count, count));
        return Open(directory, space, options, out _);
    }

    /// <summary>Closure replication: the RNG rule over each vector's nearest heads; lists sorted by distance and capped.</summary>
    private static int[][] Assign(VectorSpace space, CodeStore codes, int[] heads, HnswGraph graph, SpannOptions options, IProgress<VectorProgress>? progress)
    {
        int count = codes.Count;
        int replicas = options.ReplicaCount;
        var isHead = new bool[count];
        foreach (int head in heads)
        {
            isHead[head] = true;
        }

        // Per vector: up to `replicas` (head, distance) choices; -1 marks an unused slot.
        var chosenHeads = new int[(long)count * replicas];
        var chosenDistances = new float[(long)count * replicas];
        Array.Fill(chosenHeads, -1);
        long assigned = 0;
        int candidates = Math.Min(options.CandidateHeads, heads.Length);
        Parallel.For(
            0,
            count,
            () => (Distances: new float[candidates], Ids: new int[candidates]),
            (v, _, buffers) =>
            {
                if (isHead[v] || heads.Length == 0)
                {
                    return buffers;
                }

                ReadOnlySpan<byte> code = codes[v];
                int found = graph.Search(code, Math.Max(candidates, options.HeadGraph.EfSearch), buffers.Distances, buffers.Ids);
                int taken = 0;
                long slot = (long)v * replicas;
                for (int i = 0; i < found && taken < replicas; i++)
                {
                    int h = buffers.Ids[i];
                    float d = buffers.Distances[i];
                    bool keep = true;
                    for (int j = 0; j < taken; j++)
                    {
                        // RNG rule: skip h if a chosen head lies between v and h (SPANN section 3.2).
                        if (options.RngFactor * space.Distance(graph.CodeOf(h), graph.CodeOf(chosenHeads[slot + j])) <= d)
                        {
                            keep = false;
                            break;
                        }
                    }

                    if (keep)
                    {
                        chosenHeads[slot + taken] = h;
                        chosenDistances[slot + taken] = d;
                        taken++;
                    }
                }

                long done = Interlocked.Increment(ref assigned);
                if (done % 16384 == 0)
                {
                    progress?.Report(new VectorProgress("assign", done, count - heads.Length));
                }

                return buffers;
            },
            _ => { });

        // Group by head, closest first, capped.
        var sizes = new int[heads.Length];
        foreach (int h in chosenHeads)
        {
            if (h >= 0)
            {
                sizes[h]++;
            }
        }

        var members = new int[heads.Length][];
        var distances = new float[heads.Length][];
        for (int h = 0; h < heads.Length; h++)
        {
            members[h] = new int[sizes[h]];
            distances[h] = new float[sizes[h]];
        }

        Array.Clear(sizes);
        for (long s = 0; s < chosenHeads.LongLength; s++)
        {
            int h = chosenHeads[s];
            if (h >= 0)
            {
                members[h][sizes[h]] = (int)(s / replicas);
                distances[h][sizes[h]++] = chosenDistances[s];
            }
        }

        var lists = new int[heads.Length][];
        for (int h = 0; h < heads.Length; h++)
        {
            Array.Sort(distances[h], members[h]);
            lists[h] = members[h].Length > options.MaxPostingVectors ? members[h][..options.MaxPostingVectors] : members[h];
        }

        progress?.Report(new VectorProgress("assign", count - heads.Length, count - heads.Length));
        return lists;
    }
}
