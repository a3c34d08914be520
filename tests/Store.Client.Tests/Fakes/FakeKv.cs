using System.Text;
using Store.Client.Protocol;

namespace Store.Client.Tests.Fakes;

/// <summary>
/// A minimal in-memory keyspace behind the fake server, enough to check the client's encodings of
/// every operation (the real server's semantics are checked by the integration tests). Scans reply
/// in frames of <see cref="ScanFrameEntries"/> entries to exercise the <c>More</c> flag.
/// </summary>
internal sealed class FakeKv
{
    public const int ScanFrameEntries = 3;

    private readonly SortedDictionary<string, (byte[] Value, long Version)> _entries = new(StringComparer.Ordinal);
    private long _version;

    public FakeReply? Handle(FakeRequest request)
    {
        lock (_entries)
        {
            var reader = new PayloadReader(request.Payload);
            switch (request.Header.Opcode)
            {
                case Opcode.Get:
                    {
                        string key = Key(ref reader);
                        return _entries.TryGetValue(key, out var entry)
                            ? FakeReply.Ok(w => w.Bytes(entry.Value).I64(entry.Version).I64(0))
                            : FakeReply.Of(StatusCode.NotFound, []);
                    }

                case Opcode.Set:
                    {
                        string key = Key(ref reader);
                        byte[] value = reader.ReadBytes().ToArray();
                        reader.ReadInt64();
                        reader.ReadString();
                        byte condition = reader.ReadByte();
                        reader.ReadInt64();
                        reader.End();
                        if (condition == 1 && _entries.ContainsKey(key))
                        {
                            return FakeReply.Of(StatusCode.ConditionFailed, []);
                        }

                        long version = ++_version;
                        _entries[key] = (value, version);
                        return FakeReply.Ok(w => w.I64(version));
                    }

                case Opcode.Delete:
                    {
                        string key = Key(ref reader);
                        return FakeReply.Ok(w => w.U8(_entries.Remove(key) ? (byte)1 : (byte)0));
                    }

                case Opcode.Count:
                    return FakeReply.Ok(w => w.I64(_entries.Count));

                case Opcode.Scan:
                    {
                        string from = Key(ref reader, allowEmpty: true);
                        reader.ReadBytes();
                        bool prefix = reader.ReadByte() == 1;
                        uint limit = reader.ReadUInt32();
                        var matches = _entries.Where(e => prefix ? e.Key.StartsWith(from, StringComparison.Ordinal) : string.CompareOrdinal(e.Key, from) >= 0)
                            .Take(limit == 0 ? int.MaxValue : (int)limit).ToList();
                        var reply = new FakeReply();
                        for (int i = 0; i == 0 || i < matches.Count; i += ScanFrameEntries)
                        {
                            var page = matches.Skip(i).Take(ScanFrameEntries).ToList();
                            var fields = new FieldWriter().U32((uint)page.Count);
                            foreach (var (key, entry) in page)
                            {
                                fields.Bytes(Encoding.UTF8.GetBytes(key)).Bytes(entry.Value);
                            }

                            bool more = i + ScanFrameEntries < matches.Count;
                            reply.Frames.Add((StatusCode.Ok, fields.ToArray(), more ? FrameFlags.More : FrameFlags.None));
                        }

                        return reply;
                    }

                default:
                    return FakeReply.Error(StatusCode.UnknownOpcode, $"the fake server does not do {request.Header.Opcode}");
            }
        }
    }

    private static string Key(ref PayloadReader reader, bool allowEmpty = false)
    {
        ReadOnlySpan<byte> key = reader.ReadBytes();
        return key.IsEmpty && !allowEmpty ? throw new InvalidOperationException("empty key reached the server") : Encoding.UTF8.GetString(key);
    }
}
