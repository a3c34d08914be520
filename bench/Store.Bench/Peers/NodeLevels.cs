using System.Runtime.CompilerServices;

namespace Store.Bench.Peers;

/// <summary>Predecessors or successors of a key at every level, on the stack of the updating thread.</summary>
[InlineArray(ClassicSkipList.MaxHeight)]
internal struct NodeLevels
{
    private ClassicSkipListNode? _element0;
}
