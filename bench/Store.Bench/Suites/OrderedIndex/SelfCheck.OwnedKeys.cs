using Store.Bench.Peers;
using Store.Bench.Workloads;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Multi-threaded check: threads own disjoint keys, so every result is known exactly.</summary>
internal static partial class SelfCheck
{
    /// <summary>Each thread owns the keys k with k % threads == t and checks every result against its own model; scans cross owners.</summary>
    private static void OwnedKeys(PeerDescriptor peer, int threads)
    {
        const int KeyCount = 40_000;
        const int Steps = 40_000;
        var keys = KeySet.Generate(KeyEncoding.ShortKeyBytes, 0, KeyCount);
        var index = peer.Create().Index;
        var owned = new Dictionary<int, long>[threads];
        RunThreads(threads, t =>
        {
            var random = new Random(1000 + t);
            var mine = owned[t] = [];
            for (int step = 0; step < Steps; step++)
            {
                int k = t + (threads * random.Next(KeyCount / threads));
                long value = ((long)t << 48) | (long)step;
                switch (random.Next(8))
                {
                    case 0:
                    case 1:
                        Expect(index.Insert(keys[k], value) == mine.TryAdd(k, value), $"thread {t}: Insert of an owned key differs from its model");
                        break;
                    case 2:
                        index.Upsert(keys[k], value);
                        mine[k] = value;
                        break;
                    case 3:
                        Expect(index.Remove(keys[k], out long removed) == mine.Remove(k, out long expected) && removed == expected, $"thread {t}: Remove differs");
                        break;
                    case 4 when peer.SupportsScan:
                        int maxCount = random.Next(1, 64);
                        long checksum = 0;
                        int visited = index.ScanFrom(keys[random.Next(KeyCount)], maxCount, ref checksum);
                        Expect(visited >= 0 && visited <= maxCount, $"thread {t}: a scan visited {visited} keys, limit {maxCount}");
                        break;
                    default:
                        bool found = index.Get(keys[k], out long got);
                        Expect(found == mine.TryGetValue(k, out long want) && (!found || got == want), $"thread {t}: Get of an owned key differs");
                        break;
                }
            }
        });

        var union = new SortedDictionary<byte[], long>(Lexicographic);
        for (int k = 0; k < KeyCount; k++)
        {
            bool expected = owned[k % threads].TryGetValue(k, out long want);
            bool found = index.Get(keys[k], out long got);
            Expect(found == expected && (!found || got == want), $"after the run, key {k} differs from the union of the thread models");
            if (expected)
            {
                union.Add(keys[k].ToArray(), want);
            }
        }

        Expect(index.Count == union.Count, $"Count {index.Count} differs from the union's {union.Count}");
        ExpectFullScan(peer, index, union);
        ValidateStructure(index);
    }

    private static void ExpectFullScan(PeerDescriptor peer, IOrderedIndex index, SortedDictionary<byte[], long> model)
    {
        if (peer.SupportsScan)
        {
            long checksum = 0;
            int visited = index.ScanFrom([0x00], int.MaxValue, ref checksum);
            Expect((visited, checksum) == ModelScan(model, [0x00], int.MaxValue), $"a full scan ({visited} keys) differs from the model ({model.Count} keys)");
        }
    }
}
