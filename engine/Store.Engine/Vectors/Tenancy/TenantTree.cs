namespace Store.Vectors;

/// <summary>
/// The shared clustering tree with its tenant state (after Curator, arXiv 2401.07119): vectors are routed
/// by nearest centroid to a leaf; each (vector, tenant that may access it) pair is one id in one shortlist
/// on the vector's root-to-leaf path. Untrained, the tree is a single leaf (search over it is exact).
/// All writes run under the owning index's write lock; searches read it under the read lock.
/// </summary>
internal sealed partial class TenantTree
{
    private readonly List<TenantTreeNode> _nodes = [];
    private readonly VectorSpace _space;
    private readonly int _bound;
    private readonly int _mergeBound;
    private TenantTreeNode[] _leafOf = new TenantTreeNode[1024];
    private readonly TenantTreeNode[] _path;

    /// <summary>A tree of one leaf (untrained).</summary>
    public TenantTree(VectorSpace space, TenantIndexOptions options)
    {
        _space = space;
        _bound = options.ShortlistBound;
        _mergeBound = options.ShortlistBound / 2;
        Root = new TenantTreeNode(0, null, []);
        _nodes.Add(Root);
        _path = new TenantTreeNode[options.MaxDepth + 2];
    }

    /// <summary>A trained tree over <paramref name="count"/> decoded rows of <paramref name="sample"/>; centres are encoded with <paramref name="encode"/>.</summary>
    public TenantTree(float[] sample, int count, VectorSpace space, TenantIndexOptions options, TreeTraining.CentroidEncoder encode)
        : this(space, options)
    {
        _nodes.Clear();
        Root = TreeTraining.Build(sample, count, space.Dimension, options, encode, _nodes);
        Trained = true;
    }

    public TenantTreeNode Root { get; }


    public bool Trained { get; }

    public long Splits { get; private set; }

    public long Merges { get; private set; }

    public IReadOnlyList<TenantTreeNode> Nodes => _nodes;

    /// <summary>Routes a vector (its code) to its leaf by nearest centroid at every level, and remembers it for the slot.</summary>
    public void Place(int slot, ReadOnlySpan<byte> code)
    {
        if (slot >= _leafOf.Length)
        {
            Array.Resize(ref _leafOf, Math.Max(slot + 1, _leafOf.Length * 2));
        }

        TenantTreeNode node = Root;
        while (!node.IsLeaf)
        {
            TenantTreeNode best = node.Children[0];
            float bestDistance = float.MaxValue;
            foreach (TenantTreeNode child in node.Children)
            {
                float d = _space.Distance(code, child.Centroid);
                if (d < bestDistance)
                {
                    bestDistance = d;
                    best = child;
                }
            }

            node = best;
        }

        _leafOf[slot] = node;
    }

    public TenantTreeNode LeafOf(int slot) => _leafOf[slot];

    public TenantTreeStats Stats()
    {
        long lists = 0, entries = 0;
        int leaves = 0, depth = 0;
        foreach (TenantTreeNode node in _nodes)
        {
            leaves += node.IsLeaf ? 1 : 0;
            depth = Math.Max(depth, node.Depth);
            if (node.Shortlists is { } map)
            {
                lists += map.Count;
                foreach (TenantShortlist list in map.Values)
                {
                    entries += list.Count;
                }
            }
        }

        return new TenantTreeStats(_nodes.Count, leaves, depth, lists, entries, Splits, Merges);
    }

    public long MemoryBytes()
    {
        long bytes = 64 + (_leafOf.Length * 8L);
        foreach (TenantTreeNode node in _nodes)
        {
            bytes += node.MemoryBytes();
        }

        return bytes;
    }

    /// <summary>Fills <see cref="_path"/> with root..leaf of the slot; returns its length.</summary>
    private int PathOf(int slot)
    {
        TenantTreeNode leaf = _leafOf[slot];
        int length = leaf.Depth + 1;
        for (TenantTreeNode? node = leaf; node is not null; node = node.Parent)
        {
            _path[node.Depth] = node;
        }

        return length;
    }

    /// <summary>The child of <paramref name="ancestor"/> on the slot's path.</summary>
    private TenantTreeNode ChildToward(TenantTreeNode ancestor, int slot)
    {
        TenantTreeNode node = _leafOf[slot];
        while (node.Parent != ancestor)
        {
            node = node.Parent!;
        }

        return node;
    }
}
