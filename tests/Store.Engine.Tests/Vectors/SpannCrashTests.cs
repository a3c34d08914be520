using Store.CrashWriter;
using Store.Kv;
using Store.Tests.Kv;
using Store.Vectors;

namespace Store.Tests.Vectors;

/// <summary>
/// A child process updating a built SPANN collection (inserts, replaces, deletes; splits, merges and index
/// checkpoints running) is killed with SIGKILL at random moments; after each kill the collection reopens
/// with every acknowledged write: each slot holds the vector of its last acknowledged write (or, for the one
/// slot the unacknowledged operation in flight touched, possibly that one's), and an exhaustive search
/// finds every live vector written since the build at distance 0 and no deleted one.
/// </summary>
public sealed class SpannCrashTests
{
    [Fact]
    public void EveryAcknowledgedUpdateSurvivesKillNine()
    {
        using var temp = new TempDirectory("spann-crash");
        string path = temp.Combine("db");
        using (var db = Database.Open(path, VectorCrashOps.Database))
        {
            VectorCollection c = db.CreateVectorCollection(VectorCrashOps.CollectionName, VectorCrashOps.Collection);
            var flat = new List<float>();
            for (int slot = 0; slot < VectorCrashOps.Slots; slot++)
            {
                flat.AddRange(VectorCrashOps.Initial(slot));
            }

            c.AddRange([.. Enumerable.Range(0, VectorCrashOps.Slots).Select(s => (long)s)], flat.ToArray());
            c.BuildIndex();
        }

        var rng = new Random(TestMode.Seed(5401));
        long next = 0;
        int cycles = TestMode.IsLong ? 12 : 3;
        long acknowledged = 0;
        for (int cycle = 0; cycle < cycles; cycle++)
        {
            WriterReport report;
            using (CrashWriterProcess writer = CrashWriterProcess.StartVectors(path, next))
            {
                Assert.True(writer.WaitForFirstAcknowledgement(TimeSpan.FromSeconds(60)), "the writer acknowledged nothing within a minute");
                Thread.Sleep(rng.Next(200, 1500));
                report = writer.Kill();
            }

            Assert.False(report.ExitedByItself, $"the writer exited by itself ({report.ExitCode}): {report.Stderr}");
            Assert.True(report.LastAcknowledged >= next, $"cycle {cycle}: nothing acknowledged; stderr: {report.Stderr}");
            acknowledged += report.LastAcknowledged - next + 1;
            Verify(path, report.LastAcknowledged, cycle);

            // The next writer repeats the operation that may or may not have landed, so the state is exact again.
            next = report.LastAcknowledged + 1;
        }

        Assert.True(acknowledged > 50, $"only {acknowledged} operations were acknowledged over {cycles} kills");
    }

    private static void Verify(string path, long lastAcknowledged, int cycle)
    {
        // The state after every acknowledged operation, and the one slot the next operation may have changed.
        var state = new Dictionary<long, float[]>();
        for (int slot = 0; slot < VectorCrashOps.Slots; slot++)
        {
            state[slot] = VectorCrashOps.Initial(slot);
        }

        var touched = new HashSet<long>(); // slots written since the build (the build may leave a vector in no list: capped lists)
        for (long op = 0; op <= lastAcknowledged; op++)
        {
            Apply(state, op);
            touched.Add(VectorCrashOps.Slot(op));
        }

        touched.Add(VectorCrashOps.Slot(lastAcknowledged + 1));

        var alternative = new Dictionary<long, float[]>(state);
        Apply(alternative, lastAcknowledged + 1);
        long inFlight = VectorCrashOps.Slot(lastAcknowledged + 1);

        using var db = Database.Open(path, VectorCrashOps.Database);
        VectorCollection c = db.GetVectorCollection(VectorCrashOps.CollectionName);
        var vector = new float[VectorCrashOps.Dimension];
        bool took = c.Contains(inFlight) == alternative.ContainsKey(inFlight)
            && (!alternative.TryGetValue(inFlight, out float[]? a) || (c.TryGetVector(inFlight, vector) && vector.SequenceEqual(a)));
        Dictionary<long, float[]> expected = took ? alternative : state;
        for (long slot = 0; slot < VectorCrashOps.Slots; slot++)
        {
            if (expected.TryGetValue(slot, out float[]? v))
            {
                Assert.True(c.TryGetVector(slot, vector), $"cycle {cycle}: slot {slot} lost its acknowledged vector (last acknowledged op {lastAcknowledged})");
                Assert.Equal(v, vector);
            }
            else
            {
                Assert.False(c.Contains(slot), $"cycle {cycle}: slot {slot} was deleted by an acknowledged operation but is back");
            }
        }

        // The index agrees with the records: an exhaustive search finds every live vector written since the
        // build at distance 0 as its own nearest, and never returns a deleted one.
        var everything = new VectorSearchOptions { Ef = 1024, Lists = 1024, Epsilon = 1e30f };
        foreach ((long id, float[] v) in expected.Where(e => touched.Contains(e.Key)))
        {
            VectorMatch[] found = c.Search(v, 3, everything);
            Assert.True(found.Length > 0 && found.Any(m => m.Id == id && m.Distance == 0), $"cycle {cycle}: the index does not find slot {id} (found {string.Join(", ", found.Select(m => $"{m.Id}@{m.Distance}"))})");
            Assert.All(found, m => Assert.True(expected.ContainsKey(m.Id), $"cycle {cycle}: a search returned {m.Id}, which is deleted"));
        }
    }

    private static void Apply(Dictionary<long, float[]> state, long op)
    {
        long slot = VectorCrashOps.Slot(op);
        if (VectorCrashOps.IsDelete(op))
        {
            state.Remove(slot);
        }
        else
        {
            state[slot] = VectorCrashOps.Vector(op);
        }
    }
}
