namespace Store.Vectors;

public sealed partial class TenantVectorIndex
{
    /// <summary>Trains a new tree on a seeded sample of the live vectors (decoded) and enters every access pair again (write lock held).</summary>
    private void Retrain()
    {
        int dimension = Space.Dimension;
        int[] live = [.. _slotOf.Values.Order()];
        if (live.Length < 2 * _options.LeafSize)
        {
            _tree = new TenantTree(Space, _options);
        }
        else
        {
            int sampleCount = Math.Min(live.Length, _options.TrainingSample);
            int[] sample = live;
            if (sampleCount < live.Length)
            {
                var rng = new Random((int)_options.Seed);
                sample = [.. live.OrderBy(_ => rng.Next()).Take(sampleCount)];
            }

            var rows = new float[(long)sampleCount * dimension];
            for (int i = 0; i < sampleCount; i++)
            {
                Space.Decode(_codes[sample[i]], rows.AsSpan(i * dimension, dimension));
            }

            _tree = new TenantTree(rows, sampleCount, Space, _options, EncodeCentroid);
        }

        foreach (int slot in live)
        {
            _tree.Place(slot, _codes[slot]);
            _tree.AddAccess(slot, _access.OwnerOf(slot));
            foreach (int grantee in _access.GrantsOf(slot))
            {
                _tree.AddAccess(slot, grantee);
            }
        }
    }

    /// <summary>Restores tenants, vectors and grants from the durable records, then trains the tree.</summary>
    private void LoadFrom(TenantRecords records)
    {
        _lock.EnterWriteLock();
        try
        {
            foreach ((int number, string name) in records.ReadTenants())
            {
                int given = _tenants.GetOrAdd(name, out _);
                if (given != number)
                {
                    throw new StoreCorruptionException(records.Name, number, $"tenant record {number} ('{name}') is out of sequence (expected number {given})");
                }
            }

            _tree = new TenantTree(Space, _options);
            records.ReadVectors((id, owner, code) =>
            {
                CheckTenant(records, owner);
                int slot = _slots++;
                code.CopyTo(_codes.Writable(slot));
                _codes.Publish(slot + 1);
                if (slot >= _externalIds.Length)
                {
                    Array.Resize(ref _externalIds, Math.Max(slot + 1, _externalIds.Length * 2));
                }

                _externalIds[slot] = id;
                _slotOf.Add(id, slot);
                _access.Place(slot, owner);
            }, Space.CodeSize);
            records.ReadGrants((id, tenant) =>
            {
                CheckTenant(records, tenant);
                if (_slotOf.TryGetValue(id, out int slot))
                {
                    _access.Grant(slot, tenant);
                }
            });
            Retrain();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void CheckTenant(TenantRecords records, int tenant)
    {
        if ((uint)tenant >= (uint)_tenants.Count)
        {
            throw new StoreCorruptionException(records.Name, tenant, $"a record names tenant number {tenant}, but only {_tenants.Count} tenants are recorded");
        }
    }
}
