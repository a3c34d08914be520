namespace Store.Vectors;

internal sealed partial class TenantTree
{
    /// <summary>
    /// Adds one (vector, tenant) pair: from the root down the vector's path, into the tenant's shortlist if a
    /// node holds one, else into a new shortlist at the first node with nothing of the tenant beneath.
    /// A shortlist past the bound at an inner node is pushed down to the children. O(depth) but for a split.
    /// </summary>
    public void AddAccess(int slot, int tenant)
    {
        int length = PathOf(slot);
        for (int i = 0; i < length; i++)
        {
            TenantTreeNode node = _path[i];
            bool here = node.TryGetShortlist(tenant, out TenantShortlist list);
            if (!here && node.Beneath.ContainsKey(tenant))
            {
                continue; // the tenant's shortlists lie further down this path
            }

            if (!here)
            {
                list = new TenantShortlist();
                (node.Shortlists ??= []).Add(tenant, list);
            }

            list.Add(slot);
            for (int j = 0; j <= i; j++)
            {
                Count(_path[j], tenant, +1);
            }

            if (list.Count > _bound && !node.IsLeaf)
            {
                Split(node, tenant);
            }

            return;
        }

        throw new InvalidOperationException($"Tenant tree invariant broken: tenant {tenant} is counted under leaf {_path[length - 1].Id} but has no shortlist on the path.");
    }

    /// <summary>Removes one (vector, tenant) pair; merges the tenant's shortlists back up where few ids remain.</summary>
    public bool RemoveAccess(int slot, int tenant)
    {
        int length = PathOf(slot);
        int at = -1;
        for (int i = 0; i < length; i++)
        {
            if (_path[i].TryGetShortlist(tenant, out TenantShortlist list))
            {
                if (!list.Remove(slot))
                {
                    return false;
                }

                if (list.Count == 0)
                {
                    _path[i].Shortlists!.Remove(tenant);
                }

                at = i;
                break;
            }
        }

        if (at < 0)
        {
            return false;
        }

        for (int j = 0; j <= at; j++)
        {
            Count(_path[j], tenant, -1);
        }

        // The highest ancestor of the shortlist whose subtree now holds few enough of the tenant's ids takes them all.
        for (int j = 0; j < at; j++)
        {
            TenantTreeNode node = _path[j];
            if (node.Beneath.TryGetValue(tenant, out int beneath) && beneath <= _mergeBound)
            {
                Merge(node, tenant);
                break;
            }
        }

        return true;
    }

    private static void Count(TenantTreeNode node, int tenant, int delta)
    {
        node.Beneath.TryGetValue(tenant, out int before);
        int after = before + delta;
        if (after == 0)
        {
            node.Beneath.Remove(tenant);
            node.NoteTenantLeft();
        }
        else
        {
            node.Beneath[tenant] = after;
            if (before == 0)
            {
                node.NoteTenantArrived(tenant);
            }
        }
    }

    /// <summary>Pushes a tenant's shortlist at an inner node down to the children on its ids' paths (recursively while still too long).</summary>
    private void Split(TenantTreeNode node, int tenant)
    {
        Splits++;
        TenantShortlist list = node.Shortlists![tenant];
        node.Shortlists.Remove(tenant);
        foreach (int slot in list.Slots)
        {
            TenantTreeNode child = ChildToward(node, slot);
            if (!child.TryGetShortlist(tenant, out TenantShortlist childList))
            {
                childList = new TenantShortlist();
                (child.Shortlists ??= []).Add(tenant, childList);
            }

            childList.Add(slot);
            Count(child, tenant, +1);
        }

        foreach (TenantTreeNode child in node.Children)
        {
            if (child.TryGetShortlist(tenant, out TenantShortlist childList) && childList.Count > _bound && !child.IsLeaf)
            {
                Split(child, tenant);
            }
        }
    }

    /// <summary>Gathers all of a tenant's ids under <paramref name="node"/> into one shortlist at it.</summary>
    private void Merge(TenantTreeNode node, int tenant)
    {
        Merges++;
        var merged = new TenantShortlist(node.Beneath[tenant]);
        foreach (TenantTreeNode child in node.Children)
        {
            Gather(child, tenant, merged);
        }

        (node.Shortlists ??= []).Add(tenant, merged);
    }

    private static void Gather(TenantTreeNode node, int tenant, TenantShortlist into)
    {
        if (!node.Beneath.ContainsKey(tenant))
        {
            return;
        }

        if (node.TryGetShortlist(tenant, out TenantShortlist list))
        {
            foreach (int slot in list.Slots)
            {
                into.Add(slot);
            }

            node.Shortlists!.Remove(tenant);
        }
        else
        {
            foreach (TenantTreeNode child in node.Children)
            {
                Gather(child, tenant, into);
            }
        }

        node.Beneath.Remove(tenant);
        node.NoteTenantLeft();
    }
}
