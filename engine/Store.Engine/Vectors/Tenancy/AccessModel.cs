namespace Store.Vectors;

/// <summary>
/// Who may read each vector, by slot: its owner tenant and the tenants it is granted to (a small exact
/// array, usually empty). The single source of truth for isolation: every search result is checked here.
/// Written under the index's write lock; a grant or revoke swaps the slot's array, so readers see the
/// old or the new one, never a torn one.
/// </summary>
internal sealed class AccessModel
{
    private static readonly int[] None = [];

    private int[] _owners = new int[1024];
    private int[][] _grants = new int[1024][];

    /// <summary>Sets a new vector's owner and clears its grants.</summary>
    public void Place(int slot, int owner)
    {
        if (slot >= _owners.Length)
        {
            int size = Math.Max(slot + 1, _owners.Length * 2);
            int[] owners = new int[size];
            _owners.CopyTo(owners, 0);
            int[][] grants = new int[size][];
            _grants.CopyTo(grants, 0);
            _grants = grants;
            _owners = owners;
        }

        _grants[slot] = None;
        _owners[slot] = owner;
    }

    public int OwnerOf(int slot) => _owners[slot];

    public ReadOnlySpan<int> GrantsOf(int slot) => _grants[slot];

    /// <summary>True if <paramref name="tenant"/> owns the vector or holds a grant to it.</summary>
    public bool CanAccess(int slot, int tenant)
    {
        int[] owners = _owners;
        if ((uint)slot >= (uint)owners.Length)
        {
            return false;
        }

        return owners[slot] == tenant || Array.IndexOf(_grants[slot], tenant) >= 0;
    }

    /// <summary>Adds a grant; false if the tenant already had access.</summary>
    public bool Grant(int slot, int tenant)
    {
        if (CanAccess(slot, tenant))
        {
            return false;
        }

        int[] old = _grants[slot];
        int[] grown = new int[old.Length + 1];
        old.CopyTo(grown, 0);
        grown[^1] = tenant;
        _grants[slot] = grown;
        return true;
    }

    /// <summary>Removes a grant; false if the tenant held none.</summary>
    public bool Revoke(int slot, int tenant)
    {
        int[] old = _grants[slot];
        int at = Array.IndexOf(old, tenant);
        if (at < 0)
        {
            return false;
        }

        int[] shrunk = old.Length == 1 ? None : [.. old.AsSpan(0, at), .. old.AsSpan(at + 1)];
        _grants[slot] = shrunk;
        return true;
    }

    /// <summary>Forgets a deleted vector: nobody may access the slot until it is placed again.</summary>
    public void Clear(int slot)
    {
        _owners[slot] = -1;
        _grants[slot] = None;
    }

    public long MemoryBytes(int slots)
    {
        long bytes = (_owners.Length * sizeof(int)) + (_grants.Length * 8L);
        for (int s = 0; s < slots; s++)
        {
            int n = _grants[s]?.Length ?? 0;
            bytes += n == 0 ? 0 : 24 + (n * sizeof(int));
        }

        return bytes;
    }
}
