using System.Runtime.InteropServices;

namespace Store.Index;

/// <summary>A counter striped over padded cells so concurrent writers do not share a cache line.</summary>
internal sealed class StripedCounter
{
    private const int Stripes = 64;
    private readonly PaddedLong[] _cells = new PaddedLong[Stripes];

    public void Add(long delta)
    {
        int stripe = Environment.CurrentManagedThreadId & (Stripes - 1);
        Interlocked.Add(ref _cells[stripe].Value, delta);
    }

    public long Sum()
    {
        long total = 0;
        for (int i = 0; i < Stripes; i++)
        {
            total += Volatile.Read(ref _cells[i].Value);
        }

        return total;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [FieldOffset(64)]
        public long Value;
    }
}
