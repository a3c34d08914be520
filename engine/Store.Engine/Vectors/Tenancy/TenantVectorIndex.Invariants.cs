namespace Store.Vectors;

public sealed partial class TenantVectorIndex
{
    /// <summary>
    /// Checks the tree against the access model (for tests; O(everything)): every (vector, tenant) pair
    /// the model allows is in exactly one shortlist, on the vector's path; no shortlist holds anything else;
    /// per-node counts are exact; every counted tenant is in the node's Bloom filter; inner shortlists are
    /// within the bound. Throws <see cref="InvalidOperationException"/> naming the first violation.
    /// </summary>
    internal void CheckInvariants()
    {
        _lock.EnterReadLock();
        try
        {
            var seen = new Dictionary<(int Slot, int Tenant), int>();
            foreach (TenantTreeNode node in _tree.Nodes)
            {
                foreach ((int tenant, int count) in node.Beneath)
                {
                    Require(count > 0, $"node {node.Id} counts {count} ids of tenant {tenant}");
                    Require(node.Bloom.MayContain(tenant), $"node {node.Id}'s Bloom filter lacks tenant {tenant}, which has {count} ids beneath");
                }

                if (node.Shortlists is not { } lists)
                {
                    continue;
                }

                foreach ((int tenant, TenantShortlist list) in lists)
                {
                    Require(list.Count > 0, $"node {node.Id} keeps an empty shortlist of tenant {tenant}");
                    Require(node.IsLeaf || list.Count <= _options.ShortlistBound, $"inner node {node.Id} holds {list.Count} ids of tenant {tenant}, over the bound {_options.ShortlistBound}");
                    for (TenantTreeNode? up = node.Parent; up is not null; up = up.Parent)
                    {
                        Require(!up.TryGetShortlist(tenant, out _), $"tenant {tenant} has shortlists at node {node.Id} and its ancestor {up.Id}");
                    }

                    foreach (int slot in list.Slots)
                    {
                        Require(_access.CanAccess(slot, tenant), $"node {node.Id} lists slot {slot} for tenant {tenant}, who may not access it");
                        bool onPath = false;
                        for (TenantTreeNode? n = _tree.LeafOf(slot); n is not null; n = n.Parent)
                        {
                            onPath |= n == node;
                        }

                        Require(onPath, $"node {node.Id} lists slot {slot}, which is not under it");
                        seen[(slot, tenant)] = seen.GetValueOrDefault((slot, tenant)) + 1;
                    }
                }
            }

            long pairs = 0;
            foreach (int slot in _slotOf.Values)
            {
                pairs += Expect(slot, _access.OwnerOf(slot));
                foreach (int grantee in _access.GrantsOf(slot))
                {
                    pairs += Expect(slot, grantee);
                }
            }

            Require(pairs == seen.Count, $"the shortlists hold {seen.Count} pairs; the access model allows {pairs}");
            foreach (TenantTreeNode node in _tree.Nodes)
            {
                foreach ((int tenant, int count) in node.Beneath)
                {
                    Require(count == CountBeneath(node, tenant), $"node {node.Id} counts {count} ids of tenant {tenant}; its subtree holds {CountBeneath(node, tenant)}");
                }
            }

            int Expect(int slot, int tenant)
            {
                Require(seen.GetValueOrDefault((slot, tenant)) == 1, $"slot {slot} appears {seen.GetValueOrDefault((slot, tenant))} times for tenant {tenant}; expected once");
                return 1;
            }
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private static int CountBeneath(TenantTreeNode node, int tenant)
    {
        int count = node.TryGetShortlist(tenant, out TenantShortlist list) ? list.Count : 0;
        foreach (TenantTreeNode child in node.Children)
        {
            count += CountBeneath(child, tenant);
        }

        return count;
    }

    private static void Require(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"Tenant index invariant broken: {what}.");
        }
    }
}
