using Store.Bench.Workloads;
using Store.Index;

namespace Store.Bench.Peers;

/// <summary>A structure under test: its command-line name, its name in tables and a factory of empty instances.</summary>
internal sealed record PeerDescriptor(string Name, string Structure, bool SupportsScan, Func<IIndexDriver> Create);

/// <summary>The peers of the ordered-index suite, by command-line name.</summary>
internal static class PeerCatalog
{
    public const string BSkipList = "bskiplist";
    public const string Classic = "classic";
    public const string Sorted = "sorted";
    public const string Concurrent = "concurrent";

    public static IReadOnlyList<string> Names { get; } = [BSkipList, Classic, Sorted, Concurrent];

    /// <summary>The descriptor of <paramref name="name"/>; <paramref name="nodeCapacity"/> overrides the B-skiplist default.</summary>
    public static PeerDescriptor Get(string name, int? nodeCapacity) => name switch
    {
        BSkipList => new PeerDescriptor(
            name,
            nodeCapacity is { } b ? $"BSkipList(B={b})" : "BSkipList",
            SupportsScan: true,
            () => new IndexDriver<BSkipListIndex>(new BSkipListIndex(
                new BSkipList(nodeCapacity is { } b ? new BSkipListOptions { NodeCapacity = b } : null)))),
        Classic => new PeerDescriptor(
            name, "ClassicSkip", SupportsScan: true, () => new IndexDriver<ClassicSkipListIndex>(new ClassicSkipListIndex(new ClassicSkipList()))),
        Sorted => new PeerDescriptor(
            name, "SortedSet+lock", SupportsScan: true, () => new IndexDriver<SortedSetIndex>(new SortedSetIndex())),
        Concurrent => new PeerDescriptor(
            name, "ConcurrentDict", SupportsScan: false, () => new IndexDriver<ConcurrentDictionaryIndex>(new ConcurrentDictionaryIndex())),
        _ => throw new ArgumentException($"unknown peer '{name}'", nameof(name)),
    };
}
