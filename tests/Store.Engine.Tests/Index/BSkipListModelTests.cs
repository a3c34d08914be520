namespace Store.Tests.Index;

/// <summary>
/// Seeded random operations against a SortedDictionary model. Quick mode runs 200,000 operations per
/// case (2.4 million in all); STORE_LONG_TESTS=1 runs 20 times as many.
/// </summary>
public sealed class BSkipListModelTests
{
    private const int QuickOperationsPerCase = 200_000;

    public static TheoryData<int, KeyShape> Cases()
    {
        var data = new TheoryData<int, KeyShape>();
        foreach (int capacity in new[] { 8, 16, 100, 128 })
        {
            foreach (KeyShape shape in Enum.GetValues<KeyShape>())
            {
                data.Add(capacity, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RandomOperationsMatchSortedDictionaryModel(int nodeCapacity, KeyShape shape)
    {
        int seed = TestMode.Seed(7919 * nodeCapacity + 31 * (int)shape + 1);
        var run = new ModelRun(nodeCapacity, shape, seed);

        run.Run(TestMode.Ops(QuickOperationsPerCase));
    }
}
