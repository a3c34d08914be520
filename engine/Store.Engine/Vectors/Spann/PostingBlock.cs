using System.Buffers.Binary;
using Store.Storage;

namespace Store.Vectors;

/// <summary>
/// One block of a posting list (format 3): as many 4 KiB pages as four entries need (one for codes up to 1,014 bytes). A 16-byte
/// header: CRC32C of everything after it up to the last entry, a tag ("SPB3"), the owning head, the
/// entry count; then entries of int32 vector id, one version byte (see <see cref="VersionMap"/>) and
/// the code; zeros to the end. Every block of a list but the last is full. A block is written once and
/// never changed in place: an append writes a copy of the last block with one entry more to a free block.
/// </summary>
internal readonly struct PostingBlock
{
    public const int HeaderSize = 16;
    private const uint Tag = 0x33425053; // "SPB3"

    public PostingBlock(int codeSize, int blockBytes)
    {
        CodeSize = codeSize;
        BlockBytes = blockBytes;
        EntrySize = sizeof(int) + 1 + codeSize;
        Capacity = (blockBytes - HeaderSize) / EntrySize;
    }

    public int CodeSize { get; }

    public int BlockBytes { get; }

    /// <summary>Bytes per entry: id, version, code.</summary>
    public int EntrySize { get; }

    /// <summary>Entries one block holds.</summary>
    public int Capacity { get; }

    /// <summary>Pages per block so that at least four entries of this code size fit.</summary>
    public static int PagesFor(int codeSize) => PostingFile.PagesFor(HeaderSize + (4L * (sizeof(int) + 1 + codeSize)));

    /// <summary>Entries held by block <paramref name="index"/> of a list of <paramref name="count"/> entries.</summary>
    public int EntriesIn(int count, int blocks, int index) => index < blocks - 1 ? Capacity : count - ((blocks - 1) * Capacity);

    public int IdAt(ReadOnlySpan<byte> block, int entry) => BinaryPrimitives.ReadInt32LittleEndian(block[(HeaderSize + (entry * EntrySize))..]);

    public byte VersionAt(ReadOnlySpan<byte> block, int entry) => block[HeaderSize + (entry * EntrySize) + sizeof(int)];

    public ReadOnlySpan<byte> CodeAt(ReadOnlySpan<byte> block, int entry) => block.Slice(HeaderSize + (entry * EntrySize) + sizeof(int) + 1, CodeSize);

    public void WriteEntry(Span<byte> block, int entry, int id, byte version, ReadOnlySpan<byte> code)
    {
        Span<byte> at = block[(HeaderSize + (entry * EntrySize))..];
        BinaryPrimitives.WriteInt32LittleEndian(at, id);
        at[sizeof(int)] = version;
        code.CopyTo(at[(sizeof(int) + 1)..]);
    }

    /// <summary>Fills in the header of a block holding <paramref name="count"/> entries (written with <see cref="WriteEntry"/>).</summary>
    public void Seal(Span<byte> block, int head, int count)
    {
        int used = HeaderSize + (count * EntrySize);
        block[used..BlockBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(block[4..], Tag);
        BinaryPrimitives.WriteInt32LittleEndian(block[8..], head);
        BinaryPrimitives.WriteInt32LittleEndian(block[12..], count);
        BinaryPrimitives.WriteUInt32LittleEndian(block, Crc32C.Compute(block[4..used]));
    }

    /// <summary>
    /// True if the block is one of <paramref name="head"/>'s with exactly <paramref name="count"/> entries
    /// (and, when <paramref name="verify"/>, its checksum matches).
    /// </summary>
    public bool IsIntact(ReadOnlySpan<byte> block, int head, int count, bool verify)
    {
        if (BinaryPrimitives.ReadUInt32LittleEndian(block[4..]) != Tag
            || BinaryPrimitives.ReadInt32LittleEndian(block[8..]) != head
            || BinaryPrimitives.ReadInt32LittleEndian(block[12..]) != count
            || (uint)count > (uint)Capacity)
        {
            return false;
        }

        return !verify || BinaryPrimitives.ReadUInt32LittleEndian(block) == Crc32C.Compute(block[4..(HeaderSize + (count * EntrySize))]);
    }
}

/// <summary>
/// Where one posting list lies: its blocks in order and its entry count (live and stale). Immutable:
/// an update publishes a new one, so a search holds either the old list or the new, never half of one.
/// </summary>
internal sealed class PostingList(int[] blocks, int count)
{
    public static readonly PostingList Empty = new([], 0);

    public int[] Blocks { get; } = blocks;

    public int Count { get; } = count;
}
