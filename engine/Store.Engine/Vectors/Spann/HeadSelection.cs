namespace Store.Vectors;

/// <summary>
/// SPANN's head selection: hierarchical balanced k-means over the vectors (as floats), splitting every
/// cluster into at most <c>KMeansK</c> parts until clusters hold about 1/<c>HeadRatio</c> vectors; each
/// final cluster contributes the real vector nearest its mean as a head. The balanced assignment cost is
/// <c>d(x, c_j) + lambda * |C_j|</c> (sizes from the previous iteration), with lambda set from the mean
/// assigned distance so that a cluster one average size too big costs about one average distance.
/// </summary>
internal static class HeadSelection
{
    /// <summary>Returns the indices of the chosen heads, ascending.</summary>
    public static int[] Select(float[] data, int count, int dimension, SpannOptions options, IProgress<VectorProgress>? progress)
    {
        int target = Math.Max(1, (int)Math.Round(options.HeadRatio * count));
        double leaf = (double)count / target;
        var heads = new List<int>(target + 64);
        List<int[]> level = [[.. Enumerable.Range(0, count)]];
        long placed = 0;
        while (level.Count > 0)
        {
            var next = new List<int[]>();
            var nextLock = new object();
            Parallel.ForEach(level, members =>
            {
                if (members.Length <= leaf * 1.5 || members.Length < 4)
                {
                    int head = NearestToMean(data, dimension, members);
                    lock (nextLock)
                    {
                        heads.Add(head);
                        placed += members.Length;
                    }

                    return;
                }

                int parts = Math.Clamp((int)Math.Round(members.Length / leaf), 2, options.KMeansK);
                List<int[]> clusters = Split(data, dimension, members, parts, options, parallel: level.Count == 1);
                lock (nextLock)
                {
                    next.AddRange(clusters);
                }
            });
            progress?.Report(new VectorProgress("clustering", placed, count));
            level = next;
        }

        int[] result = [.. heads];
        Array.Sort(result);
        return result;
    }

    /// <summary>Balanced k-means of the members into <paramref name="parts"/> non-empty clusters.</summary>
    private static List<int[]> Split(float[] data, int dimension, int[] members, int parts, SpannOptions options, bool parallel)
    {
        int m = members.Length;
        var centroids = new float[parts * dimension];
        var rng = new Random((int)(options.Seed ^ (ulong)members[0] ^ ((ulong)m << 20)));
        int[] picks = [.. Enumerable.Range(0, m).OrderBy(_ => rng.Next()).Take(parts)];
        for (int c = 0; c < parts; c++)
        {
            Row(data, dimension, members[picks[c]]).CopyTo(centroids.AsSpan(c * dimension, dimension));
        }

        var assignment = new int[m];
        var distances = new float[m];
        var sizes = new int[parts];
        double lambda = 0;
        for (int iteration = 0; iteration < options.KMeansIterations; iteration++)
        {
            int[] previous = [.. sizes];
            double penalty = lambda;
            void Assign(int i)
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
            }

            if (parallel)
            {
                Parallel.For(0, m, Assign);
            }
            else
            {
                for (int i = 0; i < m; i++)
                {
                    Assign(i);
                }
            }

            Array.Clear(sizes);
            foreach (int a in assignment)
            {
                sizes[a]++;
            }

            double meanDistance = distances.Average(d => (double)d);
            lambda = options.BalanceFactor * meanDistance / ((double)m / parts);
            Recenter(data, dimension, members, assignment, sizes, centroids, distances);
        }

        var clusters = new List<int>[parts];
        for (int c = 0; c < parts; c++)
        {
            clusters[c] = new List<int>(sizes[c]);
        }

        for (int i = 0; i < m; i++)
        {
            clusters[assignment[i]].Add(members[i]);
        }

        var result = clusters.Where(c => c.Count > 0).Select(c => c.ToArray()).ToList();
        if (result.Count == 1)
        {
            // Every member landed in one cluster (duplicates): halve it so the recursion ends.
            int[] all = result[0];
            return [all[..(all.Length / 2)], all[(all.Length / 2)..]];
        }

        return result;
    }

    /// <summary>Moves each centre to its members' mean; an empty cluster takes the worst-placed member of the largest.</summary>
    private static void Recenter(float[] data, int dimension, int[] members, int[] assignment, int[] sizes, float[] centroids, float[] distances)
    {
        int parts = sizes.Length;
        Array.Clear(centroids);
        for (int i = 0; i < members.Length; i++)
        {
            Span<float> centre = centroids.AsSpan(assignment[i] * dimension, dimension);
            ReadOnlySpan<float> x = Row(data, dimension, members[i]);
            for (int d = 0; d < dimension; d++)
            {
                centre[d] += x[d];
            }
        }

        for (int c = 0; c < parts; c++)
        {
            if (sizes[c] == 0)
            {
                int largest = Array.IndexOf(sizes, sizes.Max());
                int worst = -1;
                for (int i = 0; i < members.Length; i++)
                {
                    if (assignment[i] == largest && (worst < 0 || distances[i] > distances[worst]))
                    {
                        worst = i;
                    }
                }

                Row(data, dimension, members[worst]).CopyTo(centroids.AsSpan(c * dimension, dimension));
                distances[worst] = 0;
                continue;
            }

            float inverse = 1f / sizes[c];
            Span<float> centre = centroids.AsSpan(c * dimension, dimension);
            for (int d = 0; d < dimension; d++)
            {
                centre[d] *= inverse;
            }
        }
    }

    private static int NearestToMean(float[] data, int dimension, int[] members)
    {
        if (members.Length <= 2)
        {
            return members[0];
        }

        var mean = new float[dimension];
        foreach (int member in members)
        {
            ReadOnlySpan<float> x = Row(data, dimension, member);
            for (int d = 0; d < dimension; d++)
            {
                mean[d] += x[d];
            }
        }

        for (int d = 0; d < dimension; d++)
        {
            mean[d] /= members.Length;
        }

        int best = members[0];
        float bestDistance = float.MaxValue;
        foreach (int member in members)
        {
            float distance = VectorKernels.L2Squared(Row(data, dimension, member), mean);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = member;
            }
        }

        return best;
    }

    private static ReadOnlySpan<float> Row(float[] data, int dimension, int index) => data.AsSpan((int)((long)index * dimension), dimension);
}
