using System.Buffers;
using Store.Client.Protocol;

namespace Store.Server.Tests;

/// <summary>Fills a payload.</summary>
internal delegate void PayloadFill(ref PayloadWriter writer);

/// <summary>Encodes request frames of every opcode (docs/protocol.md) with the shared codec.</summary>
internal static class Requests
{
    public static byte[] Frame(Opcode opcode, uint id, uint handle, int size, PayloadFill fill, StatusCode status = StatusCode.Ok, FrameFlags flags = FrameFlags.None)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new PayloadWriter(buffer, new FrameHeader((uint)size, id, opcode, flags, status, handle));
        fill(ref writer);
        writer.Complete();
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Hello(uint id, string token = "", ushort min = 1, ushort max = 1, string name = "tests") =>
        Frame(Opcode.Hello, id, 0, 4 + PayloadWriter.SizeOf(token) + PayloadWriter.SizeOf(name), (ref PayloadWriter w) =>
        {
            w.Write(min);
            w.Write(max);
            w.WriteString(token);
            w.WriteString(name);
        });

    public static byte[] Ping(uint id, byte[] payload) => Frame(Opcode.Ping, id, 0, payload.Length, (ref PayloadWriter w) => w.WriteRaw(payload));

    public static byte[] OpenKeyspace(uint id, string name, bool create = true) =>
        Frame(Opcode.OpenKeyspace, id, 0, PayloadWriter.SizeOf(name) + 1, (ref PayloadWriter w) =>
        {
            w.WriteString(name);
            w.Write(create ? (byte)1 : (byte)0);
        });

    public static byte[] Get(uint id, uint handle, byte[] key) => KeyOnly(Opcode.Get, id, handle, key);

    public static byte[] Set(uint id, uint handle, byte[] key, byte[] value, long ttlMs = -1, string category = "", byte condition = 0, long expectedVersion = 0) =>
        Frame(Opcode.Set, id, handle, PayloadWriter.SizeOf(key.Length) + PayloadWriter.SizeOf(value.Length) + 8 + PayloadWriter.SizeOf(category) + 1 + 8, (ref PayloadWriter w) =>
        {
            w.WriteBytes(key);
            w.WriteBytes(value);
            w.Write(ttlMs);
            w.WriteString(category);
            w.Write(condition);
            w.Write(expectedVersion);
        });

    public static byte[] Delete(uint id, uint handle, byte[] key) => KeyOnly(Opcode.Delete, id, handle, key);

    public static byte[] Increment(uint id, uint handle, byte[] key, long delta, long ttlMs = -1) =>
        Frame(Opcode.Increment, id, handle, PayloadWriter.SizeOf(key.Length) + 16, (ref PayloadWriter w) =>
        {
            w.WriteBytes(key);
            w.Write(delta);
            w.Write(ttlMs);
        });

    public static byte[] MultiGet(uint id, uint handle, params byte[][] keys)
    {
        int size = 4;
        foreach (byte[] key in keys)
        {
            size += PayloadWriter.SizeOf(key.Length);
        }

        return Frame(Opcode.MultiGet, id, handle, size, (ref PayloadWriter w) =>
        {
            w.Write((uint)keys.Length);
            foreach (byte[] key in keys)
            {
                w.WriteBytes(key);
            }
        });
    }

    public static byte[] MultiSet(uint id, uint handle, (byte[] Key, byte[] Value)[] items, long ttlMs = -1, string category = "")
    {
        int size = 4 + 8 + PayloadWriter.SizeOf(category);
        foreach ((byte[] key, byte[] value) in items)
        {
            size += PayloadWriter.SizeOf(key.Length) + PayloadWriter.SizeOf(value.Length);
        }

        return Frame(Opcode.MultiSet, id, handle, size, (ref PayloadWriter w) =>
        {
            w.Write((uint)items.Length);
            foreach ((byte[] key, byte[] value) in items)
            {
                w.WriteBytes(key);
                w.WriteBytes(value);
            }

            w.Write(ttlMs);
            w.WriteString(category);
        });
    }

    public static byte[] Scan(uint id, uint handle, byte[] from, byte[] to, bool prefix = false, uint limit = 0) =>
        Frame(Opcode.Scan, id, handle, PayloadWriter.SizeOf(from.Length) + PayloadWriter.SizeOf(to.Length) + 5, (ref PayloadWriter w) =>
        {
            w.WriteBytes(from);
            w.WriteBytes(to);
            w.Write(prefix ? (byte)1 : (byte)0);
            w.Write(limit);
        });

    public static byte[] Expire(uint id, uint handle, byte[] key, long ttlMs) =>
        Frame(Opcode.Expire, id, handle, PayloadWriter.SizeOf(key.Length) + 8, (ref PayloadWriter w) =>
        {
            w.WriteBytes(key);
            w.Write(ttlMs);
        });

    public static byte[] Persist(uint id, uint handle, byte[] key) => KeyOnly(Opcode.Persist, id, handle, key);

    public static byte[] TimeToLive(uint id, uint handle, byte[] key) => KeyOnly(Opcode.TimeToLive, id, handle, key);

    public static byte[] Count(uint id, uint handle) => Frame(Opcode.Count, id, handle, 0, (ref PayloadWriter w) => { });

    public static byte[] Concat(params byte[][] frames) => [.. frames.SelectMany(f => f)];

    private static byte[] KeyOnly(Opcode opcode, uint id, uint handle, byte[] key) =>
        Frame(opcode, id, handle, PayloadWriter.SizeOf(key.Length), (ref PayloadWriter w) => w.WriteBytes(key));
}
