namespace Store.Vectors;

/// <summary>
/// Trains the shared clustering tree: hierarchical balanced k-means (SPANN's, as in HeadSelection)
/// over a sample of the vectors in routing space. A node of more than <c>LeafSize</c> sample vectors
/// splits into up to <c>FanOut</c> children, at most <c>MaxDepth</c> levels deep. Assignment cost is
/// <c>d(x, c_j) + lambda * |C_j|</c> with sizes from the previous round, lambda set so one average
/// cluster size too many costs about one average distance: clusters come out near equal.
/// </summary>
internal static class TreeTraining
{
    /// <summary>Turns a centre (floats, the decoded space) into a code of the index's space.</summary>
    public delegate byte[] CentroidEncoder(ReadOnlySpan<float> centroid);

    /// <summary>Builds the tree over rows of <paramref name="sample"/> (row-major, <paramref name="dimension"/> wide); returns the root.</summary>
    public static TenantTreeNode Build(float[] sample, int count, int dimension, TenantIndexOptions options, CentroidEncoder encode, List<TenantTreeNode> nodes)
    {
        var root = new TenantTreeNode(0, null, []);
        nodes.Add(root);
        var pending = new Queue<(TenantTreeNode Node, int[] Members)>();
        pending.Enqueue((root, [.. Enumerable.Range(0, count)]));
        while (pending.Count > 0)
        {
            (TenantTreeNode node, int[] members) = pending.Dequeue();
            if (members.Length <= options.LeafSize || node.Depth >= options.MaxDepth)
            {
                continue;
            }

            int parts = Math.Clamp((members.Length + options.LeafSize - 1) / options.LeafSize, 2, options.FanOut);
            var rng = new Random((int)(options.Seed ^ (ulong)(node.Id * 7919L) ^ ((ulong)members.Length << 24)));
            (float[] centroids, List<int[]> clusters) = Split(sample, dimension, members, parts, options.KMeansIterations, rng);
            if (clusters.Count < 2)
            {
                continue; // identical vectors: nothing to split on
            }

            var children = new TenantTreeNode[clusters.Count];
            for (int c = 0; c < clusters.Count; c++)
            {
                children[c] = new TenantTreeNode(nodes.Count, node, encode(centroids.AsSpan(c * dimension, dimension)));
                nodes.Add(children[c]);
                pending.Enqueue((children[c], clusters[c]));
            }

            node.Children = children;
        }

        return root;
    }

    /// <summary>Balanced k-means of the members; returns the centres of the non-empty clusters and their members.</summary>
    private static (float[] Centroids, List<int[]> Clusters) Split(float[] data, int dimension, int[] members, int parts, int iterations, Random rng)
    {
        int m = members.Length;
        var centroids = new float[parts * dimension];
        int[] picks = [.. Enumerable.Range(0, m).OrderBy(_ => rng.Next()).Take(parts)];
        for (int c = 0; c < parts; c++)
        {
            Row(data, dimension, members[picks[c]]).CopyTo(centroids.AsSpan(c * dimension, dimension));
        }

        var assignment = new int[m];
        var distances = new float[m];
        var sizes = new int[parts];
        var previous = new int[parts];
        double lambda = 0;
        for (int round = 0; round < iterations; round++)
        {
            sizes.CopyTo(previous, 0);
            double penalty = lambda;
            Parallel.For(0, m, new ParallelOptions { MaxDegreeOfParallelism = m > 4096 ? -1 : 1 }, i =>
            {
                ReadOnlySpan<float> x = Row(data, dimension, members[i]);
                int best = 0;
                float bestDistance = float.MaxValue;
                double bestCost = double.MaxValue;
                for (int c = 0; c < parts; c++)
                {
                    float d = VectorKernels.L2Squared(x, centroids.AsSpan(c * dimension, dimension));
                    double cost = d + (penalty * previous[c]);
                    if (cost < bestCost)
                    {
                        bestCost = cost;
                        best = c;
                        bestDistance = d;
                    }
                }

                assignment[i] = best;
                distances[i] = bestDistance;
            });

            Array.Clear(sizes);
            foreach (int a in assignment)
            {
                sizes[a]++;
            }

            lambda = distances.Average(d => (double)d) / ((double)m / parts);
            Recenter(data, dimension, members, assignment, sizes, centroids);
        }

        var clusters = new List<int[]>();
        var kept = new List<float>();
        for (int c = 0; c < parts; c++)
        {
            if (sizes[c] == 0)
            {
                continue;
            }

            var cluster = new int[sizes[c]];
            int n = 0;
            for (int i = 0; i < m; i++)
            {
                if (assignment[i] == c)
                {
                    cluster[n++] = members[i];
                }
            }

            clusters.Add(cluster);
            kept.AddRange(centroids.AsSpan(c * dimension, dimension));
        }

        return ([.. kept], clusters);
    }

    /// <summary>Moves each centre to its members' mean (an empty cluster keeps its centre).</summary>
    private static void Recenter(float[] data, int dimension, int[] members, int[] assignment, int[] sizes, float[] centroids)
    {
        var sums = new double[sizes.Length * dimension];
        for (int i = 0; i < members.Length; i++)
        {
            Span<double> sum = sums.AsSpan(assignment[i] * dimension, dimension);
            ReadOnlySpan<float> x = Row(data, dimension, members[i]);
            for (int d = 0; d < dimension; d++)
            {
                sum[d] += x[d];
            }
        }

        for (int c = 0; c < sizes.Length; c++)
        {
            if (sizes[c] == 0)
            {
                continue;
            }

            for (int d = 0; d < dimension; d++)
            {
                centroids[(c * dimension) + d] = (float)(sums[(c * dimension) + d] / sizes[c]);
            }
        }
    }

    private static ReadOnlySpan<float> Row(float[] data, int dimension, int index) => data.AsSpan(index * dimension, dimension);
}
