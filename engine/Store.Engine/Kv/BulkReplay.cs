using System.Buffers.Binary;
using Store.Index;
using Store.Storage;

namespace Store.Kv;

/// <summary>
/// Full-log recovery into empty indexes: every valid record is noted (key bytes copied into one
/// arena), the notes are sorted by (keyspace, key, address), and only each key's last record is
/// applied, in key order. Random index inserts become sequential appends, and overwritten or
/// deleted keys cost nothing. Replay with a checkpoint applies records one by one instead.
/// </summary>
internal sealed class BulkReplay
{
    private Note[] _notes = new Note[1 << 16];
    private byte[] _keys = new byte[1 << 20];
    private int _count;
    private long _keyBytes;

    public int Count => _count;

    public void Add(long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored)
    {
        if (_count == _notes.Length)
        {
            Array.Resize(ref _notes, _notes.Length * 2);
        }

        if (_keyBytes + key.Length > _keys.Length)
        {
            Array.Resize(ref _keys, (int)Math.Min(Array.MaxLength, Math.Max(_keys.Length * 2L, _keyBytes + key.Length)));
        }

        key.CopyTo(_keys.AsSpan((int)_keyBytes));
        int raw = header.Kind == RecordKind.Put && (header.Flags & RecordFlags.Compressed) != 0
            ? BinaryPrimitives.ReadInt32LittleEndian(stored)
            : header.ValueLength;
        _notes[_count++] = new Note(header.Keyspace, KeyOrder.Prefix(key), address, (int)_keyBytes, key.Length,
            header.Kind, header.Expiry, header.Category, raw, header.Length);
        _keyBytes += key.Length;
    }

    /// <summary>Sorts and applies the surviving record of every key; returns the keys restored.</summary>
    public long Apply(Database db, long now, Dictionary<long, long> liveBytes)
    {
        Gather(SortedOrder());
        long restored = 0;
        for (int k = 0; k < _count; k++)
        {
            ref Note note = ref _notes[k];
            if (k + 1 < _count && SameKey(note, _notes[k + 1]))
            {
                continue; // a later record of this key wins
            }

            if (note.Kind != RecordKind.Put || (note.Expiry != 0 && note.Expiry <= now) || db.KeyspaceById(note.Keyspace) is not { } keyspace)
            {
                continue;
            }

            keyspace.Restore(_keys.AsSpan(note.KeyOffset, note.KeyLength), note.Address, note.Length, note.Expiry, note.Category, note.RawLength, liveBytes);
            restored++;
        }

        _notes = [];
        _keys = [];
        return restored;
    }

    /// <summary>
    /// Note indices in (keyspace, key, address) order: a primitive sort on the 8-byte prefixes,
    /// then the rare runs of equal prefixes (same key rewritten, or keys sharing 8 bytes) sorted fully.
    /// </summary>
    private int[] SortedOrder()
    {
        var prefixes = new ulong[_count];
        var order = new int[_count];
        for (int i = 0; i < _count; i++)
        {
            prefixes[i] = _notes[i].Prefix;
            order[i] = i;
        }

        Array.Sort(prefixes, order);
        var comparer = new NoteOrder(_keys);
        int start = 0;
        while (start < _count)
        {
            int end = start + 1;
            while (end < _count && prefixes[end] == prefixes[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Note[] notes = _notes;
                Array.Sort(order, start, end - start, Comparer<int>.Create((a, b) => comparer.Compare(notes[a], notes[b])));
            }

            start = end;
        }

        return order;
    }

    /// <summary>
    /// Rearranges notes and key bytes into sorted order in one tight pass, so the apply loop reads
    /// memory sequentially instead of taking two dependent cache misses per key.
    /// </summary>
    private void Gather(int[] order)
    {
        var notes = new Note[_count];
        var keys = new byte[_keyBytes];
        int offset = 0;
        for (int k = 0; k < _count; k++)
        {
            Note note = _notes[order[k]];
            _keys.AsSpan(note.KeyOffset, note.KeyLength).CopyTo(keys.AsSpan(offset));
            notes[k] = note with { KeyOffset = offset };
            offset += note.KeyLength;
        }

        _notes = notes;
        _keys = keys;
    }

    private bool SameKey(in Note a, in Note b) =>
        a.Keyspace == b.Keyspace && a.Prefix == b.Prefix && a.KeyLength == b.KeyLength
        && _keys.AsSpan(a.KeyOffset, a.KeyLength).SequenceEqual(_keys.AsSpan(b.KeyOffset, b.KeyLength));

    private readonly record struct Note(
        int Keyspace, ulong Prefix, long Address, int KeyOffset, int KeyLength, RecordKind Kind, long Expiry, int Category, int RawLength, int Length);

    private readonly struct NoteOrder(byte[] keys) : IComparer<Note>
    {
        public int Compare(Note x, Note y)
        {
            if (x.Keyspace != y.Keyspace)
            {
                return x.Keyspace.CompareTo(y.Keyspace);
            }

            if (x.Prefix != y.Prefix)
            {
                return x.Prefix.CompareTo(y.Prefix);
            }

            int byKey = keys.AsSpan(x.KeyOffset, x.KeyLength).SequenceCompareTo(keys.AsSpan(y.KeyOffset, y.KeyLength));
            return byKey != 0 ? byKey : x.Address.CompareTo(y.Address);
        }
    }
}
