using Store.Kv;
using Xunit.Abstractions;

namespace Store.Tests.Kv;

/// <summary>
/// Seeded random operations against a sorted-map model with expiry times (see <see cref="KvModelRun"/>),
/// on a manual clock, with reopen, compaction, checkpoints and expiry sweeps mixed in.
/// The last case never compacts and replays the whole log at some reopens (no checkpoint), the
/// recovery path after a crash before the first checkpoint.
/// Quick mode: the operation count of each case (Always pays an fsync per write, so it runs fewer);
/// STORE_LONG_TESTS=1 runs 20 times as many.
/// </summary>
public sealed class KvModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, Durability.Batched, 1024, 8000, false)]
    [InlineData(2, Durability.Batched, 0, 8000, false)]
    [InlineData(3, Durability.Always, 1024, 3000, false)]
    [InlineData(4, Durability.None, 64, 8000, false)]
    [InlineData(5, Durability.Batched, 1024, 6000, true)]
    public void RandomOperationsMatchTheModel(int baseSeed, Durability durability, int compressionThreshold, int quickOperations, bool replayWholeLog)
    {
        int seed = TestMode.Seed(6007 * baseSeed);
        using var run = new KvModelRun(seed, durability, compressionThreshold, replayWholeLog);

        run.Run(TestMode.Ops(quickOperations));

        output.WriteLine($"seed {seed}: {string.Join(", ", run.Counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
    }
}
