using Store.Bench.Peers;

namespace Store.Bench.Suites.OrderedIndex;

/// <summary>Single-threaded random operations compared with a sorted model after every step.</summary>
internal static partial class SelfCheck
{
    private const int SequentialSteps = 60_000;

    private static readonly byte[] TrickyBytes = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];

    private static void Sequential(PeerDescriptor peer)
    {
        var index = peer.Create().Index;
        var model = new SortedDictionary<byte[], long>(Lexicographic);
        var random = new Random(20240611);
        var universe = new HashSet<byte[]>(ByteContentComparer.Instance);
        while (universe.Count < 500)
        {
            universe.Add(RandomKey(random));
        }

        var keys = universe.ToArray();
        for (int step = 0; step < SequentialSteps; step++)
        {
            byte[] key = random.Next(8) == 0 ? RandomKey(random) : keys[random.Next(keys.Length)];
            long value = random.NextInt64(long.MinValue, long.MaxValue);
            string at = $"step {step}";
            switch (random.Next(6))
            {
                case 0:
                    Expect(index.Insert(key, value) == model.TryAdd(key, value), $"{at}: Insert result differs from the model");
                    break;
                case 1:
                    index.Upsert(key, value);
                    model[key] = value;
                    break;
                case 2:
                    Expect(index.Remove(key, out long removed) == model.Remove(key, out long expected) && removed == expected, $"{at}: Remove differs from the model");
                    break;
                case 3 when peer.SupportsScan:
                    int maxCount = random.Next(0, 40);
                    long checksum = 0;
                    int visited = index.ScanFrom(key, maxCount, ref checksum);
                    Expect((visited, checksum) == ModelScan(model, key, maxCount), $"{at}: ScanFrom({maxCount}) differs from the model");
                    break;
                default:
                    bool found = index.Get(key, out long got);
                    Expect(found == model.TryGetValue(key, out long want) && (!found || got == want), $"{at}: Get differs from the model");
                    break;
            }
        }

        Expect(index.Count == model.Count, $"Count {index.Count} differs from the model's {model.Count}");
        if (peer.SupportsScan)
        {
            long checksum = 0;
            int visited = index.ScanFrom([0x00], int.MaxValue, ref checksum);
            Expect((visited, checksum) == ModelScan(model, [0x00], int.MaxValue), "a full scan differs from the model");
        }

        ValidateStructure(index);
    }

    /// <summary>1 to 10 bytes drawn from a few boundary values, so keys share prefixes and test unsigned order.</summary>
    private static byte[] RandomKey(Random random)
    {
        var key = new byte[random.Next(1, 11)];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = TrickyBytes[random.Next(TrickyBytes.Length)];
        }

        return key;
    }
}
