using Store.Kv;
using Store.Vectors;

namespace Store.CrashWriter;

/// <summary>
/// The operation stream of the vector crash test (SPANN live updates), shared as a linked source file by
/// the writer child and the test. Operation n (n &gt;= 0) inserts or replaces, or deletes, the vector of one
/// of <see cref="Slots"/> ids; the vector is a pure function of n, so the test rebuilds the collection's
/// state after any prefix of operations. Before the child runs, the test builds the index over every
/// slot holding <see cref="Initial"/>.
/// </summary>
internal static class VectorCrashOps
{
    public const string CollectionName = "crash";
    public const int Slots = 600;
    public const int Dimension = 12;

    /// <summary>Every write acknowledged only once durable; small segments.</summary>
    public static DatabaseOptions Database => new() { Durability = Durability.Always, SegmentSize = 1 << 20 };

    /// <summary>Small lists (splits and merges happen) and a checkpoint every 150 writes, so kills land in both.</summary>
    public static VectorCollectionOptions Collection => new()
    {
        Dimension = Dimension,
        Index = VectorIndexKind.Spann,
        Spann = new SpannOptions { HeadRatio = 0.1, MaxPostingVectors = 24, ReplicaCount = 4, MergeThreshold = 3, ReassignHeads = 8, CheckpointChanges = 150 },
    };

    /// <summary>One operation in four is a delete.</summary>
    public static bool IsDelete(long op) => Mix(op, 1) % 4 == 0;

    public static int Slot(long op) => (int)(Mix(op, 2) % Slots);

    /// <summary>The vector operation <paramref name="op"/> writes: near one of 16 centres, so lists fill unevenly.</summary>
    public static float[] Vector(long op)
    {
        var v = new float[Dimension];
        ulong centre = Mix(op, 3) % 16;
        for (int i = 0; i < Dimension; i++)
        {
            float c = (float)(Mix((long)centre, 100 + i) % 1000) / 10f;
            float noise = (float)(Mix(op, 200 + i) % 2000) / 1000f;
            v[i] = c + noise;
        }

        return v;
    }

    /// <summary>The vector of a slot before the first operation.</summary>
    public static float[] Initial(int slot) => Vector(-1 - slot);

    private static ulong Mix(long op, int stream)
    {
        ulong z = unchecked((ulong)op * 0x9E3779B97F4A7C15UL + ((ulong)stream * 0xBF58476D1CE4E5B9UL) + 0x94D049BB133111EBUL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
