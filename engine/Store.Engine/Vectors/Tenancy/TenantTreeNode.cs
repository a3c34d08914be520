namespace Store.Vectors;

/// <summary>
/// A node of the shared clustering tree. Per node (after Curator): a Bloom filter of the tenants with
/// any id at or below it, the exact count of each such tenant's ids (so splits, merges and Bloom rebuilds
/// never guess), and the shortlists of the tenants whose ids are kept here rather than further down.
/// Invariant: on the path from the root to any leaf, at most one node holds a shortlist of a given tenant,
/// and every id of that tenant under the path's leaf is in that one shortlist.
/// </summary>
internal sealed class TenantTreeNode(int id, TenantTreeNode? parent, byte[] centroid)
{
    public int Id { get; } = id;

    public TenantTreeNode? Parent { get; } = parent;

    public int Depth { get; } = parent is null ? 0 : parent.Depth + 1;

    /// <summary>Mean of the training vectors under it, encoded like the vectors (so routing uses the space's own kernel); empty for the root.</summary>
    public byte[] Centroid { get; } = centroid;

    public TenantTreeNode[] Children { get; set; } = [];

    public bool IsLeaf => Children.Length == 0;

    /// <summary>Tenant -> number of its ids in shortlists at or below this node (no zero entries).</summary>
    public Dictionary<int, int> Beneath { get; } = [];

    /// <summary>Tenant -> its shortlist here; null until the first one.</summary>
    public Dictionary<int, TenantShortlist>? Shortlists { get; set; }

    public TenantBloomFilter Bloom { get; } = new(4);

    /// <summary>Tenants that left <see cref="Beneath"/> since the Bloom filter was last rebuilt (still answered "maybe").</summary>
    public int StaleTenants { get; set; }

    public bool TryGetShortlist(int tenant, out TenantShortlist list)
    {
        if (Shortlists is { } lists && lists.TryGetValue(tenant, out TenantShortlist? found))
        {
            list = found;
            return true;
        }

        list = null!;
        return false;
    }

    /// <summary>Records that a tenant now has ids beneath: in the Bloom filter, rebuilt bigger when full.</summary>
    public void NoteTenantArrived(int tenant)
    {
        if (Bloom.Added >= Bloom.Capacity)
        {
            RebuildBloom();
        }
        else
        {
            Bloom.Add(tenant);
        }
    }

    /// <summary>Records that a tenant has no ids beneath any more; the filter is rebuilt once a quarter of it is stale.</summary>
    public void NoteTenantLeft()
    {
        StaleTenants++;
        if (StaleTenants > Math.Max(8, Beneath.Count / 4))
        {
            RebuildBloom();
        }
    }

    public void RebuildBloom()
    {
        Bloom.Reset(Math.Max(4, Beneath.Count * 2), Beneath.Keys);
        StaleTenants = 0;
    }

    public long MemoryBytes()
    {
        long bytes = 96 + Centroid.Length + (Children.Length * 8) + Bloom.MemoryBytes + 64 + (Beneath.Count * 24L);
        if (Shortlists is { } lists)
        {
            bytes += 64 + (lists.Count * 24L);
            foreach (TenantShortlist list in lists.Values)
            {
                bytes += list.MemoryBytes;
            }
        }

        return bytes;
    }
}
