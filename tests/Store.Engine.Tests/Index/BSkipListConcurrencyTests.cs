namespace Store.Tests.Index;

/// <summary>
/// Time-bounded multi-threaded stress tests of the B-skiplist (about 3 s each in quick mode, 60 s with
/// STORE_LONG_TESTS=1), each at node capacities 8 and 100 so splits and node removals are frequent.
/// Workers run on dedicated threads with a seed each (printed in failure messages); see
/// <see cref="StressHarness"/>. One scenario per file.
/// </summary>
public sealed partial class BSkipListConcurrencyTests
{
}
