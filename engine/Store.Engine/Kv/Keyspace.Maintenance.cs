using System.Buffers.Binary;
using Store.Index;
using Store.Storage;

namespace Store.Kv;

public sealed partial class Keyspace
{
    private BSkipListBuilder? _builder;
    /// <summary>True once recovery decided whether this keyspace bulk-builds (an empty index) or not.</summary>
    private bool _builderChosen;

    /// <summary>
    /// Active expiry of one category: removes keys whose current record expired by <paramref name="now"/>
    /// (no tombstone: replay drops expired records by itself). Returns the number of entries examined.
    /// </summary>
    internal int SweepExpired(int category, long now, int budget)
    {
        var candidates = new List<(long Expiry, byte[] Key)>();
        _db.Expiry.VisitExpired(Id, category, now, (expiry, key) =>
        {
            candidates.Add((expiry, key.ToArray()));
            return candidates.Count < budget;
        });
        foreach ((long expiry, byte[] key) in candidates)
        {
            using (_db.Stripes.Enter(Id, key))
            {
                if (Index.TryGetValue(key, out long slot))
                {
                    RecordMeta meta = ReadMeta(slot);
                    if (meta.Expiry == expiry && meta.ExpiredAt(now))
                    {
                        Index.TryRemove(key, out _);
                        Forget(key, meta);
                        if (CategoryById(meta.Category) is { } owner)
                        {
                            Interlocked.Increment(ref owner.ExpiredCount);
                        }

                        continue;
                    }
                }

                _db.Expiry.Remove(Id, category, expiry, key); // stale: the key was rewritten or deleted
            }
        }

        return candidates.Count;
    }

    /// <summary>
    /// Brings a category back within quota: expired entries first, then least recently used by
    /// CLOCK over the category's write-order queue. Never touches another category's entries.
    /// </summary>
    internal void Evict(Category category)
    {
        if (!category.EvictionLock.TryEnter())
        {
            return; // another thread is evicting this category
        }

        try
        {
            SweepExpired(category.Id, NowMs(), int.MaxValue);
            bool rebuilt = false;
            if (!category.EvictionQueueComplete)
            {
                // The quota was added at run time: the queue lacks the keys written before it.
                category.EvictionQueue.Clear();
                RebuildEvictionQueue(category);
                category.EvictionQueueComplete = true;
                rebuilt = true;
            }

            long budget = (category.EvictionQueue.Count * 2L) + 64;
            while (category.OverQuota && budget-- > 0)
            {
                if (!category.EvictionQueue.TryDequeue(out byte[]? key))
                {
                    if (rebuilt)
                    {
                        break;
                    }

                    RebuildEvictionQueue(category); // e.g. a quota added at run time, or after recovery
                    rebuilt = true;
                    budget = (category.EvictionQueue.Count * 2L) + 64;
                    continue;
                }

                EvictOne(category, key);
            }
        }
        finally
        {
            category.EvictionLock.Exit();
        }
    }

    private void EvictOne(Category category, byte[] key)
    {
        using (_db.Stripes.Enter(Id, key))
        {
            if (!Index.TryGetValue(key, out long slot))
            {
                return;
            }

            RecordMeta meta = ReadMeta(slot);
            if (meta.Category != category.Id)
            {
                return; // stale queue entry: the key moved to another category
            }

            if ((slot & ReferencedBit) != 0)
            {
                Index.TryUpdate(key, slot & ~ReferencedBit, slot); // second chance
                category.EvictionQueue.Enqueue(key);
                return;
            }

            RemoveLocked(key, meta);
            Interlocked.Increment(ref category.EvictionCount);
        }
    }

    private void RebuildEvictionQueue(Category category)
    {
        using BSkipListCursor cursor = Index.OpenCursor([]);
        while (cursor.MoveNext())
        {
            if (_log.TryRead(cursor.Value & AddressMask, out RecordRef record))
            {
                using (record)
                {
                    if (record.Header.Category == category.Id)
                    {
                        category.EvictionQueue.Enqueue(cursor.Key.ToArray());
                    }
                }
            }
        }
    }

    /// <summary>
    /// Compaction: re-appends the record at <paramref name="address"/> if it is still the key's current one.
    /// When the key has no current record (deleted, expired) and <paramref name="olderSurvives"/>, a
    /// tombstone takes the record's place at the tail, so a whole-log replay cannot revive an earlier Put.
    /// </summary>
    internal void Relocate(long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored, long now, bool olderSurvives)
    {
        using (_db.Stripes.Enter(Id, key))
        {
            if (!Index.TryGetValue(key, out long slot))
            {
                // Garbage, and the key has no current record: this Put may be what ended an earlier one
                // (it expired, or a tombstone after it went with an earlier compaction).
                if (olderSurvives)
                {
                    AppendCarriedTombstone(header.Sequence, key);
                }

                return;
            }

            if ((slot & AddressMask) != address)
            {
                return; // garbage: overwritten since, and the newer record decides
            }

            if (header.Expiry != 0 && header.Expiry <= now)
            {
                Index.TryRemove(key, out _);
                Forget(key, ReadMeta(slot));
                if (olderSurvives)
                {
                    AppendCarriedTombstone(header.Sequence, key);
                }

                return;
            }

            long moved = _log.Append(RecordKind.Put, header.Flags, Id, header.Category, header.Expiry, header.Sequence, key, stored, out _);
            Index.Set(key, moved | (slot & ~AddressMask)); // same record bytes: the plain length and reference bit stay true
        }
    }

    /// <summary>
    /// Compaction: a tombstone of a segment about to go, while an older segment stays. If the key has no
    /// current record it is appended again at the tail (its sequence kept), so a whole-log replay still
    /// ends the key's earlier Puts; if the key was written since, that newer record wins anyway.
    /// </summary>
    internal void CarryTombstone(in RecordHeader header, ReadOnlySpan<byte> key)
    {
        using (_db.Stripes.Enter(Id, key))
        {
            if (!Index.TryGetValue(key, out _))
            {
                AppendCarriedTombstone(header.Sequence, key);
            }
        }
    }

    private void AppendCarriedTombstone(long sequence, ReadOnlySpan<byte> key)
    {
        long address = _log.Append(RecordKind.Delete, RecordFlags.None, Id, 0, 0, sequence, key, default, out _);
        _log.MarkDead(address, RecordHeader.Size + key.Length);
    }

    /// <summary>Recovery: applies one replayed record (the log is single-threaded at this point).</summary>
    internal void Replay(long address, in RecordHeader header, ReadOnlySpan<byte> key, ReadOnlySpan<byte> stored, long now, Dictionary<long, long> liveBytes)
    {
        bool live = header.Kind == RecordKind.Put && !(header.Expiry != 0 && header.Expiry <= now);
        bool existed = live ? Index.Upsert(key, address, out long slot) : Index.TryRemove(key, out slot);
        if (existed)
        {
            RecordMeta old = ReadMeta(slot);
            Forget(key, old, markDead: false);
            AddLive(liveBytes, old.Address, -RecordHeader.AlignedSize(old.Length));
        }

        if (live)
        {
            int raw = (header.Flags & RecordFlags.Compressed) != 0 ? BinaryPrimitives.ReadInt32LittleEndian(stored) : header.ValueLength;
            Remember(key, CategoryById(header.Category), header.Expiry, key.Length + (long)raw);
            AddLive(liveBytes, address, header.AlignedLength);
        }
    }

    /// <summary>
    /// Recovery: loads one entry of a checkpoint or of a sorted full replay. While keys come in
    /// increasing order into an empty index they are appended by a bulk builder (no descent);
    /// the first key out of order ends the bulk build for good and inserts go the ordinary way.
    /// </summary>
    internal void Restore(ReadOnlySpan<byte> key, long address, int length, long expiry, int category, int rawValueLength, Dictionary<long, long> liveBytes)
    {
        Restore(key, address, expiry, category, rawValueLength);
        AddLive(liveBytes, address, RecordHeader.AlignedSize(length));
    }

    /// <summary><see cref="Restore(ReadOnlySpan{byte}, long, int, long, int, int, Dictionary{long, long})"/> where the caller counts the live bytes.</summary>
    internal void Restore(ReadOnlySpan<byte> key, long address, long expiry, int category, int rawValueLength)
    {
        if (!_builderChosen)
        {
            _builderChosen = true;
            _builder = Index.Count == 0 ? Index.CreateBuilder() : null;
        }

        if (_builder is null || !_builder.TryAppend(key, address))
        {
            _builder?.Complete();
            _builder = null;
            Index.Set(key, address);
        }

        Remember(key, CategoryById(category), expiry, key.Length + (long)rawValueLength);
    }

    /// <summary>Checkpoint: writes every live entry (fuzzy: replay from the checkpoint's address fixes what moved meanwhile).</summary>
    internal void WriteCheckpoint(CheckpointWriter writer, long now)
    {
        using BSkipListCursor cursor = Index.OpenCursor([]);
        while (cursor.MoveNext())
        {
            long slot = cursor.Value;
            RecordRef record;
            while (!_log.TryRead(slot & AddressMask, out record))
            {
                if (!Index.TryGetValue(cursor.Key, out slot))
                {
                    goto next; // deleted meanwhile
                }
            }

            using (record)
            {
                RecordHeader h = record.Header;
                if (!(h.Expiry != 0 && h.Expiry <= now))
                {
                    writer.Add(Id, h.Category, h.Expiry, slot & AddressMask, h.Length, RecordMeta.RawLength(record), cursor.Key);
                }
            }

        next:;
        }
    }

    /// <summary>Recovery after a log cut: removes keys whose record lies at or after <paramref name="cut"/>.</summary>
    internal long DropEntriesFrom(long cut)
    {
        var doomed = new List<byte[]>();
        using (BSkipListCursor cursor = Index.OpenCursor([]))
        {
            while (cursor.MoveNext())
            {
                if ((cursor.Value & AddressMask) >= cut)
                {
                    doomed.Add(cursor.Key.ToArray());
                }
            }
        }

        foreach (byte[] key in doomed)
        {
            Index.TryRemove(key, out _);
        }

        return doomed.Count;
    }

    /// <summary>Ends the recovery-time bulk build; later writes go through the ordinary paths.</summary>
    internal void EndRestore()
    {
        _builder?.Complete();
        _builder = null;
        _builderChosen = true;
    }

    private void AddLive(Dictionary<long, long> liveBytes, long address, long bytes)
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(liveBytes, address / _log.SegmentSize, out _) += bytes;
    }
}
