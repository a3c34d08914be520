using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Store.Index;

namespace Store.Kv;

/// <summary>
/// Striped spin locks over keys. Every write to a key (and compaction's move of its record)
/// holds its stripe from the condition check to the index update, so for each key the log
/// order equals the index order and replay in log order rebuilds the same state.
/// </summary>
internal sealed class KeyStripes
{
    private const int Count = 1024;
    private readonly Stripe[] _stripes = new Stripe[Count];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Held Enter(int keyspace, ReadOnlySpan<byte> key)
    {
        int index = (int)((KeyOrder.Hash(key) ^ (ulong)keyspace) & (Count - 1));
        ref int word = ref _stripes[index].Word;
        if (Interlocked.CompareExchange(ref word, 1, 0) != 0)
        {
            Spin(ref word);
        }

        return new Held(this, index);
    }

    /// <summary>
    /// Takes and releases every stripe in turn: when it returns, every write that held a stripe
    /// when it was called has finished (its log append and its index update).
    /// </summary>
    public void Barrier()
    {
        for (int i = 0; i < Count; i++)
        {
            ref int word = ref _stripes[i].Word;
            if (Interlocked.CompareExchange(ref word, 1, 0) != 0)
            {
                Spin(ref word);
            }

            Volatile.Write(ref word, 0);
        }
    }

    private static void Spin(ref int word)
    {
        var spin = default(SpinWait);
        do
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        while (Volatile.Read(ref word) != 0 || Interlocked.CompareExchange(ref word, 1, 0) != 0);
    }

    /// <summary>A held stripe; dispose to release.</summary>
    internal readonly ref struct Held(KeyStripes owner, int index)
    {
        public void Dispose() => Volatile.Write(ref owner._stripes[index].Word, 0);
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Stripe
    {
        [FieldOffset(0)]
        public int Word;
    }
}
