namespace Store.Vectors;

/// <summary>One tenant's ids (vector slots) at one tree node, unordered; removal swaps in the last id.</summary>
internal sealed class TenantShortlist
{
    private int[] _slots;

    public TenantShortlist(int capacity = 4)
    {
        _slots = new int[Math.Max(2, capacity)];
    }

    public int Count { get; private set; }

    public ReadOnlySpan<int> Slots => _slots.AsSpan(0, Count);

    public long MemoryBytes => 40 + (_slots.Length * sizeof(int));

    public void Add(int slot)
    {
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, Count * 2);
        }

        _slots[Count++] = slot;
    }

    public bool Remove(int slot)
    {
        int at = Array.IndexOf(_slots, slot, 0, Count);
        if (at < 0)
        {
            return false;
        }

        _slots[at] = _slots[--Count];
        return true;
    }
}
