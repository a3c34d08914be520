using Store.Index;

namespace Store.Tests.Index;

public sealed partial class BSkipListEdgeTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void VisitorMayScanAndWriteTheListItIsScanning(int nodeCapacity)
    {
        // Even keys 0..398 present. For each even key the visitor runs a nested Scan on the same thread,
        // removes the visited key and inserts the odd key after it; odd keys are only recorded.
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        for (int i = 0; i < 400; i += 2)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        var visitedValues = new List<long>();
        var failures = new List<string>();
        long visited = list.ScanFrom([], (key, value) =>
        {
            visitedValues.Add(value);
            if (value % 2 == 1)
            {
                return true;
            }

            List<long> inner = ListReader.Scan(list, key.ToArray(), TwoByteKey((int)value + 5), int.MaxValue)
                .Select(e => e.Value).ToList();
            List<long> expectedInner = new long[] { value, value + 2, value + 4 }.Where(v => v < 400).ToList();
            if (!inner.SequenceEqual(expectedInner))
            {
                failures.Add($"nested scan at {value}: [{string.Join(",", inner)}], expected [{string.Join(",", expectedInner)}]");
            }

            if (!list.TryRemove(key, out long removed) || removed != value)
            {
                failures.Add($"removing visited key {value} failed");
            }

            if (!list.TryAdd(TwoByteKey((int)value + 1), value + 1))
            {
                failures.Add($"inserting {value + 1} failed");
            }

            return true;
        });

        Assert.Empty(failures);
        Assert.Equal(visitedValues.Count, visited);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => 2L * i), visitedValues.Where(v => v % 2 == 0));
        for (int i = 1; i < visitedValues.Count; i++)
        {
            Assert.True(visitedValues[i - 1] < visitedValues[i], $"visited {visitedValues[i - 1]} then {visitedValues[i]}");
        }

        Assert.Equal(200, list.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => 2L * i + 1), ListReader.ScanAll(list).Select(e => e.Value));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(100)]
    public void ManyKeysEachInsertedAndRemovedRepeatedly(int nodeCapacity)
    {
        // 64 different keys (so some are promoted to upper levels whatever the promotion rule),
        // each re-inserted 1,000 times next to untouched neighbours.
        var list = new BSkipList(new BSkipListOptions { NodeCapacity = nodeCapacity });
        for (int i = 0; i < 2000; i += 2)
        {
            Assert.True(list.TryAdd(TwoByteKey(i), i));
        }

        var rng = new Random(51 + nodeCapacity);
        for (int k = 0; k < 64; k++)
        {
            int odd = rng.Next(1000) * 2 + 1;
            byte[] key = TwoByteKey(odd);
            for (int cycle = 0; cycle < 1000; cycle++)
            {
                Assert.True(list.TryAdd(key, cycle));
                Assert.True(list.TryGetValue(key, out long value));
                Assert.Equal(cycle, value);
                Assert.True(list.TryRemove(key, out long removed));
                Assert.Equal(cycle, removed);
                Assert.False(list.TryGetValue(key, out _));
            }

            Assert.Equal(1000, list.Count);
        }

        Assert.Equal(Enumerable.Range(0, 1000).Select(i => 2L * i), ListReader.ScanAll(list).Select(e => e.Value));
    }
}
