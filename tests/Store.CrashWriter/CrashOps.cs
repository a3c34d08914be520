using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Store.Kv;

namespace Store.CrashWriter;

/// <summary>
/// The operation stream of the KV crash tests, shared (as a linked source file) by the writer child
/// process and the test that kills it. Operation n is a pure function of n: a Set of a deterministic
/// value, or a Delete, of one of <see cref="KeySlots"/> keys. Every value starts with the number of
/// the operation that wrote it, so the test can name the write behind every value it reads back and
/// rebuild the state after any prefix of operations.
/// </summary>
internal static class CrashOps
{
    public const string KeyspaceName = "crash";

    /// <summary>Distinct keys; operations pick one at random, so most Sets overwrite.</summary>
    public const int KeySlots = 1024;

    /// <summary>Batched and None writers call Flush() after every this many operations and report it.</summary>
    public const int FlushEvery = 64;

    private const int ValueHeaderSize = sizeof(long) + sizeof(int);
    private const int CompressionThreshold = 1024;
    private static readonly byte[] KeyPrefix = "key:"u8.ToArray();

    /// <summary>Options of both processes: small segments so the log rolls and compacts, frequent checkpoints.</summary>
    public static DatabaseOptions Options(Durability durability) => new()
    {
        Durability = durability,
        SegmentSize = 1 << 20,
        CompressionThreshold = CompressionThreshold,
        CheckpointInterval = TimeSpan.FromMilliseconds(300),
    };

    /// <summary>One operation in eight is a Delete.</summary>
    public static bool IsDelete(long op) => Mix(op, 1) % 8 == 0;

    public static int Slot(long op) => (int)(Mix(op, 2) % KeySlots);

    public static byte[] Key(int slot) => Encoding.ASCII.GetBytes($"key:{slot:D5}");

    public static bool TryParseKey(ReadOnlySpan<byte> key, out int slot)
    {
        slot = -1;
        return key.Length == KeyPrefix.Length + 5 && key.StartsWith(KeyPrefix)
            && int.TryParse(Encoding.ASCII.GetString(key[KeyPrefix.Length..]), NumberStyles.None, CultureInfo.InvariantCulture, out slot)
            && slot < KeySlots;
    }

    /// <summary>Mostly small values; about one in eight above the compression threshold; a few large ones.</summary>
    public static int ValueLength(long op)
    {
        ulong h = Mix(op, 3);
        int r = (int)((h >> 8) & 0x7FFF_FFFF);
        return (h % 16) switch
        {
            < 9 => ValueHeaderSize + (r % 200),
            < 13 => 212 + (r % 800),
            < 15 => CompressionThreshold + (r % 4000),
            _ => 8192 + (r % 32768),
        };
    }

    /// <summary>The value operation <paramref name="op"/> writes (half compressible, half random bytes).</summary>
    public static byte[] Value(long op)
    {
        byte[] value = new byte[ValueLength(op)];
        BinaryPrimitives.WriteInt64LittleEndian(value, op);
        BinaryPrimitives.WriteInt32LittleEndian(value.AsSpan(sizeof(long)), Slot(op));
        Span<byte> rest = value.AsSpan(ValueHeaderSize);
        if ((Mix(op, 4) & 1) == 0)
        {
            byte first = (byte)('a' + (op % 26));
            for (int i = 0; i < rest.Length; i++)
            {
                rest[i] = (byte)(first + (i / 64 % 3));
            }
        }
        else
        {
            ulong state = Mix(op, 5) | 1;
            for (int i = 0; i < rest.Length; i++)
            {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                rest[i] = (byte)state;
            }
        }

        return value;
    }

    /// <summary>
    /// The operation that wrote <paramref name="value"/> to <paramref name="slot"/>, or -1 if the bytes are
    /// not exactly what any Set of that slot wrote (a corrupt read).
    /// </summary>
    public static long Decode(int slot, ReadOnlySpan<byte> value)
    {
        if (value.Length < ValueHeaderSize)
        {
            return -1;
        }

        long op = BinaryPrimitives.ReadInt64LittleEndian(value);
        if (op < 0 || IsDelete(op) || Slot(op) != slot || ValueLength(op) != value.Length)
        {
            return -1;
        }

        return value.SequenceEqual(Value(op)) ? op : -1;
    }

    /// <summary>SplitMix64 of the operation number and a stream id.</summary>
    private static ulong Mix(long op, ulong stream)
    {
        ulong z = unchecked(((ulong)op * 0x9E3779B97F4A7C15UL) + (stream * 0xD1B54A32D192ED03UL) + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }
}
