using System.Runtime.InteropServices;

namespace Store.Storage;

/// <summary>
/// A record read from the log: its header and bytes, valid until <see cref="Dispose"/>
/// (which lets a mapped segment go if it was retired meanwhile).
/// </summary>
internal ref struct RecordRef
{
    private SafeHandle? _lease;

    public RecordRef(RecordHeader header, ReadOnlySpan<byte> bytes, SafeHandle? lease)
    {
        Header = header;
        Bytes = bytes;
        _lease = lease;
    }

    public RecordHeader Header { get; }

    /// <summary>The whole record, header included.</summary>
    public ReadOnlySpan<byte> Bytes { get; }

    public readonly ReadOnlySpan<byte> Key => Bytes.Slice(RecordHeader.Size, Header.KeyLength);

    public readonly ReadOnlySpan<byte> StoredValue => Bytes.Slice(RecordHeader.Size + Header.KeyLength, Header.ValueLength);

    public void Dispose()
    {
        _lease?.DangerousRelease();
        _lease = null;
    }
}
