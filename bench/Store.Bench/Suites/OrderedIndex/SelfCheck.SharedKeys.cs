using Store.Bench.Peers;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Multi-threaded check: threads race on the same keys; the end state is still known exactly.</summary>
internal static partial class SelfCheck
{
    /// <summary>All threads insert, overwrite, then remove the same keys; each key must be inserted and removed exactly once.</summary>
    private static void SharedKeys(PeerDescriptor peer, int threads)
    {
        const int KeyCount = 20_000;
        var keys = KeySet.Generate(KeyEncoding.ShortKeyBytes, 10_000_000, KeyCount);
        var index = peer.Create().Index;
        var inserted = new int[threads];
        RunThreads(threads, t =>
        {
            foreach (int k in Shuffled(KeyCount, t))
            {
                inserted[t] += index.Insert(keys[k], k) ? 1 : 0;
            }
        });
        Expect(inserted.Sum() == KeyCount, $"{inserted.Sum()} racing inserts of {KeyCount} distinct keys succeeded");
        Expect(index.Count == KeyCount, $"Count {index.Count} after racing inserts of {KeyCount} keys");
        ValidateStructure(index);

        RunThreads(threads, t =>
        {
            foreach (int k in Shuffled(KeyCount, t + 100))
            {
                index.Upsert(keys[k], ((long)(t + 1) << 32) | (long)k);
                Expect(index.Get(keys[k], out long value) && (value & uint.MaxValue) == k, $"key {k} read a value written for another key");
            }
        });

        var removed = new int[threads];
        RunThreads(threads, t =>
        {
            foreach (int k in Shuffled(KeyCount, t + 200))
            {
                if (index.Remove(keys[k], out long value))
                {
                    Expect((value & uint.MaxValue) == k, $"removing key {k} returned a value written for another key");
                    removed[t]++;
                }
            }
        });
        Expect(removed.Sum() == KeyCount, $"{removed.Sum()} racing removes of {KeyCount} keys succeeded");
        Expect(index.Count == 0, $"Count {index.Count} after removing every key");
        ExpectFullScan(peer, index, new SortedDictionary<byte[], long>(Lexicographic));
        Churn(peer, threads);
    }

    /// <summary>Threads insert and remove a few hot keys at random; per key, successful inserts minus removes must be 0 or 1 and match presence.</summary>
    private static void Churn(PeerDescriptor peer, int threads)
    {
        const int KeyCount = 64;
        const int Steps = 100_000;
        var keys = KeySet.Generate(KeyEncoding.ShortKeyBytes, 20_000_000, KeyCount);
        var index = peer.Create().Index;
        var net = new int[threads, KeyCount];
        RunThreads(threads, t =>
        {
            var random = new Random(3000 + t);
            for (int step = 0; step < Steps; step++)
            {
                int k = random.Next(KeyCount);
                if (random.Next(2) == 0)
                {
                    net[t, k] += index.Insert(keys[k], k) ? 1 : 0;
                }
                else if (index.Remove(keys[k], out long value))
                {
                    Expect(value == k, $"removing hot key {k} returned {value}");
                    net[t, k]--;
                }
            }
        });

        long present = 0;
        for (int k = 0; k < KeyCount; k++)
        {
            int sum = Enumerable.Range(0, threads).Sum(t => net[t, k]);
            bool found = index.Get(keys[k], out _);
            Expect(sum is 0 or 1 && found == (sum == 1), $"hot key {k}: inserts minus removes is {sum}, present {found}");
            present += sum;
        }

        Expect(index.Count == present, $"Count {index.Count} after churn, expected {present}");
        ValidateStructure(index);
    }

    private static int[] Shuffled(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }
}
