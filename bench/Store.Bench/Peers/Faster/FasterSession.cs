using System.Runtime.InteropServices;
using FASTER.core;

namespace Store.Bench.Peers.Faster;

/// <summary>
/// One thread's FASTER session. Operations use the session's safe context (each one enters and leaves
/// FASTER's epoch), as an application would; an operation that goes pending (record on disk) is
/// completed before returning.
/// </summary>
internal sealed class FasterSession(ClientSession<Key16, Value100, Value100, Value100, Empty, SimpleFunctions<Key16, Value100>> session) : IDisposable
{
    private Value100 _output;

    public void Upsert(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var k = Key16.From(key);
        var v = Value100.From(value);
        var status = session.Upsert(ref k, ref v);
        if (status.IsPending)
        {
            session.CompletePending(wait: true);
        }
    }

    /// <summary>Reads <paramref name="key"/>; the value span stays valid until the next read of this session.</summary>
    public bool TryRead(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        var k = Key16.From(key);
        var status = session.Read(ref k, ref _output);
        if (status.IsPending)
        {
            session.CompletePendingWithOutputs(out var outputs, wait: true);
            using (outputs)
            {
                status = default;
                while (outputs.Next())
                {
                    status = outputs.Current.Status;
                    _output = outputs.Current.Output;
                }
            }
        }

        value = status.Found ? MemoryMarshal.CreateReadOnlySpan(ref _output[0], Value100.Size) : default;
        return status.Found;
    }

    public void Dispose() => session.Dispose();
}
