using System.Globalization;
using Store.CrashWriter;
using Store.Kv;
using Xunit.Abstractions;

namespace Store.Tests.Kv;

/// <summary>
/// Crash tests with a real process: tests/Store.CrashWriter writes numbered operations (Sets of
/// varied sizes, overwrites, Deletes; see <see cref="CrashOps"/>) and acknowledges each on stdout;
/// the test kills it (SIGKILL, whole process tree) at a random moment, reopens the directory
/// in-process and checks what survived:
/// <list type="bullet">
/// <item>every value is exactly what the operation it names wrote (no corrupt reads);</item>
/// <item>the state equals the state after some prefix of the operations (no holes);</item>
/// <item>Always: that prefix holds every acknowledged operation; Batched: every operation
/// covered by a returned Flush().</item>
/// </list>
/// The next cycle's writer continues in the same directory, so recovery of a recovered database is
/// exercised too; every other cycle the test checks a copy of the directory, so that the next writer
/// recovers the crashed files themselves (torn tail included) rather than a cleanly closed database.
/// A crashed directory that does not open is a failure (it was engine bug B9). Quick mode runs <see cref="QuickCycles"/> cycles per durability mode;
/// STORE_CRASH_CYCLES=N runs N (STORE_LONG_TESTS=1 alone runs <see cref="LongCycles"/>).
/// </summary>
public sealed class KvCrashTests(ITestOutputHelper output)
{
    private const int QuickCycles = 6;
    private const int LongCycles = 60;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(Durability.Always)]
    [InlineData(Durability.Batched)]
    public void KilledWriterLeavesAPrefixOfItsOperations(Durability durability)
    {
        int cycles = Cycles();
        int seed = TestMode.Seed(durability == Durability.Always ? 4001 : 4002);
        var rng = new Random(seed);
        using var temp = new TempDirectory("crash-" + durability);
        string path = temp.Combine("db");
        var tally = new CrashTally(durability, seed);

        // State after operations [0, next): slot -> operation that wrote its current value.
        var state = new Dictionary<int, long>();
        long next = 0;
        int completed = 0;
        while (completed < cycles)
        {
            try
            {
                WriterReport report = RunAndKill(path, durability, next, rng, tally, completed);
                if (TempDirectory.KeepAll)
                {
                    LogFiles.CopyDirectory(path, temp.Combine($"crashed-{completed}")); // the files as the kill left them
                }

                string checkedPath = path;
                if (completed % 2 == 1)
                {
                    checkedPath = temp.Combine($"copy-{completed}");
                    LogFiles.CopyDirectory(path, checkedPath);
                }

                bool goOn = Check(checkedPath, durability, report, state, ref next, tally, completed);
                if (checkedPath != path)
                {
                    Directory.Delete(checkedPath, recursive: true);
                }

                if (TempDirectory.KeepAll && goOn && tally.Problems.Count == 0)
                {
                    Directory.Delete(temp.Combine($"crashed-{completed}"), recursive: true); // keep only the one that failed
                }

                completed++;
                if (!goOn)
                {
                    break;
                }
            }
            catch (Exception e)
            {
                tally.Problems.Add($"cycle {completed}: {e}");
                completed++;
                break;
            }
        }

        string summary = tally.Summary(completed);
        output.WriteLine(summary);
        Console.WriteLine(summary);
        Assert.True(tally.Problems.Count == 0, $"{summary}\n{string.Join("\n", tally.Problems.Take(20))}");
        Assert.True(next > 0, $"{summary}\nNo operation survived any cycle: the writer never got going.");
    }

    [Fact]
    public void SecondProcessCannotOpenAnOpenDirectory()
    {
        using var temp = new TempDirectory("crash-lock");
        string path = temp.Combine("db");
        using (CrashWriterProcess writer = CrashWriterProcess.Start(path, Durability.Batched, 0))
        {
            Assert.True(writer.WaitForReady(StartTimeout), "the writer did not open the database");
            Assert.Throws<DatabaseLockedException>(() => Database.Open(path, CrashOps.Options(Durability.Batched)));
            WriterReport report = writer.Kill();
            Assert.False(report.ExitedByItself, report.Stderr);
        }

        // The lock dies with its process: the directory opens now.
        using Database db = Database.Open(path, CrashOps.Options(Durability.Batched));
        Assert.Contains(CrashOps.KeyspaceName, db.Keyspaces);
    }

    private static int Cycles()
    {
        string? configured = Environment.GetEnvironmentVariable("STORE_CRASH_CYCLES");
        if (int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out int cycles) && cycles > 0)
        {
            return cycles;
        }

        return TestMode.IsLong ? LongCycles : QuickCycles;
    }

    /// <summary>
    /// One writer run. One in five is killed at a random moment after the process started, which may
    /// fall in start-up or recovery; the others a random time after the first acknowledged operation:
    /// 1..400 ms, or (one in three) 0.6..2 s so that compactions and checkpoints happen.
    /// </summary>
    private static WriterReport RunAndKill(string path, Durability durability, long firstOp, Random rng, CrashTally tally, int cycle)
    {
        using CrashWriterProcess writer = CrashWriterProcess.Start(path, durability, firstOp);
        if (rng.Next(5) == 0)
        {
            Thread.Sleep(rng.Next(0, 600));
        }
        else
        {
            if (!writer.WaitForFirstAcknowledgement(StartTimeout))
            {
                tally.Problems.Add($"cycle {cycle}: the writer acknowledged nothing within {StartTimeout.TotalSeconds} s");
            }

            Thread.Sleep(rng.Next(3) == 0 ? rng.Next(600, 2000) : rng.Next(1, 400));
        }

        WriterReport report = writer.Kill();
        if (report.ExitedByItself)
        {
            tally.Problems.Add($"cycle {cycle}: the writer exited by itself with code {report.ExitCode}:\n{report.Stderr}");
        }

        return report;
    }

    /// <summary>
    /// Reopens the directory and checks it against the operation stream; advances
    /// <paramref name="state"/>/<paramref name="next"/> to the surviving prefix. False if the run cannot go on.
    /// </summary>
    private static bool Check(string path, Durability durability, WriterReport report, Dictionary<int, long> state, ref long next, CrashTally tally, int cycle)
    {
        using Database db = Database.Open(path, CrashOps.Options(durability));
        if (!db.TryGetKeyspace(CrashOps.KeyspaceName, out Keyspace? keyspace))
        {
            if (next == 0 && report.LastAcknowledged < 0)
            {
                return true; // killed before it created the keyspace
            }

            tally.Problems.Add($"cycle {cycle}: keyspace '{CrashOps.KeyspaceName}' is missing after operations were acknowledged");
            return false;
        }

        // What survived: slot -> operation named by its value (-1: not a value any operation wrote).
        var found = new Dictionary<int, long>();
        int corruptBefore = tally.CorruptReads;
        keyspace.ScanFrom(default, (key, value) =>
        {
            if (!CrashOps.TryParseKey(key, out int slot))
            {
                tally.Corrupt($"cycle {cycle}: unexpected key {Bytes.Show(key)}");
                return true;
            }

            long op = CrashOps.Decode(slot, value);
            if (op < 0)
            {
                tally.Corrupt($"cycle {cycle}: slot {slot} holds {value.Length} bytes that no operation wrote ({Bytes.Show(value)})");
            }

            found[slot] = op;
            return true;
        });
        for (int slot = 0; slot < CrashOps.KeySlots; slot++)
        {
            byte[]? value = keyspace.Get(CrashOps.Key(slot));
            long viaGet = value is null ? -2 : CrashOps.Decode(slot, value);
            long viaScan = found.TryGetValue(slot, out long op) ? op : -2;
            if (viaGet != viaScan)
            {
                tally.Corrupt($"cycle {cycle}: slot {slot}: Get gives operation {viaGet}, Scan gives {viaScan} (-2: absent, -1: corrupt)");
            }
        }

        if (keyspace.Count != found.Count)
        {
            tally.Problems.Add($"cycle {cycle}: Count is {keyspace.Count} but a scan finds {found.Count} keys");
        }

        if (tally.CorruptReads > corruptBefore)
        {
            return false;
        }

        // The in-flight operation after the last acknowledged one may or may not have made it.
        long newest = Math.Max(report.LastAcknowledged, next - 1) + 1;
        long prefix = LongestMatchingPrefix(state, next, newest + 1, found, out long closest);
        if (prefix < 0)
        {
            tally.Problems.Add($"cycle {cycle}: the state is not the state after any prefix of operations [{next}, {newest + 1}] " +
                $"(acknowledged up to {report.LastAcknowledged}, flushed up to {report.LastFlushed}, ready: {report.Ready}); " +
                $"closest is the prefix up to {closest}, which differs in: {Differences(state, next, closest, found)}");
            return false;
        }

        long mustHave = durability == Durability.Always ? report.LastAcknowledged : report.LastFlushed;
        if (prefix <= mustHave)
        {
            tally.LostAcknowledged += (int)(mustHave + 1 - prefix);
            tally.Problems.Add($"cycle {cycle}: operations [{prefix}, {mustHave}] were acknowledged" +
                (durability == Durability.Always ? string.Empty : " and flushed") + " but are lost");
        }

        tally.Cycle(report, next, prefix);
        for (long op = next; op < prefix; op++)
        {
            Apply(state, op);
        }

        next = prefix;
        if (Directory.Exists(LogFiles.QuarantineDirectory(path)))
        {
            tally.Problems.Add($"cycle {cycle}: recovery quarantined segments after a process kill (only the log tail can be torn)");
        }

        return true;
    }

    /// <summary>
    /// The largest q in [from, to] such that the state after operations [0, q) equals <paramref name="found"/>,
    /// or -1. <paramref name="state"/> is the state after [0, from); it is not changed.
    /// </summary>
    private static long LongestMatchingPrefix(Dictionary<int, long> state, long from, long to, Dictionary<int, long> found, out long closest)
    {
        var working = new Dictionary<int, long>(state);
        int mismatches = 0;
        foreach (int slot in working.Keys.Union(found.Keys))
        {
            mismatches += Differs(working, found, slot) ? 1 : 0;
        }

        long best = -1;
        int fewest = int.MaxValue;
        closest = from;
        for (long q = from; ; q++)
        {
            if (mismatches == 0)
            {
                best = q;
            }

            if (mismatches <= fewest)
            {
                fewest = mismatches;
                closest = q;
            }

            if (q == to)
            {
                return best;
            }

            int slot = CrashOps.Slot(q);
            bool before = Differs(working, found, slot);
            Apply(working, q);
            mismatches += (Differs(working, found, slot) ? 1 : 0) - (before ? 1 : 0);
        }
    }

    /// <summary>Slots where the state after operations [0, <paramref name="upTo"/>) and what was found differ (first 12).</summary>
    private static string Differences(Dictionary<int, long> state, long from, long upTo, Dictionary<int, long> found)
    {
        var working = new Dictionary<int, long>(state);
        for (long op = from; op < upTo; op++)
        {
            Apply(working, op);
        }

        var differences = working.Keys.Union(found.Keys).Where(slot => Differs(working, found, slot)).Order().ToList();
        return $"{differences.Count} slots: " + string.Join("; ", differences.Take(12).Select(slot =>
            $"slot {slot} expected {(working.TryGetValue(slot, out long e) ? $"op {e}" : "absent")}, found {(found.TryGetValue(slot, out long f) ? $"op {f}" : "absent")}" +
            $" (ops on it since {from}: {string.Join(",", OpsOn(slot, from, upTo + 3))})"));
    }

    private static IEnumerable<string> OpsOn(int slot, long from, long to)
    {
        for (long op = from; op < to; op++)
        {
            if (CrashOps.Slot(op) == slot)
            {
                yield return (CrashOps.IsDelete(op) ? "D" : "S") + op.ToString(CultureInfo.InvariantCulture);
            }
        }
    }

    private static bool Differs(Dictionary<int, long> expected, Dictionary<int, long> found, int slot) =>
        (expected.TryGetValue(slot, out long a) ? a : -2) != (found.TryGetValue(slot, out long b) ? b : -2);

    private static void Apply(Dictionary<int, long> state, long op)
    {
        if (CrashOps.IsDelete(op))
        {
            state.Remove(CrashOps.Slot(op));
        }
        else
        {
            state[CrashOps.Slot(op)] = op;
        }
    }

    private sealed class CrashTally(Durability durability, int seed)
    {
        public List<string> Problems { get; } = [];

        public int CorruptReads { get; private set; }

        public int LostAcknowledged { get; set; }


        private long Acknowledged { get; set; }

        private long Survived { get; set; }

        private long LostUnflushed { get; set; }

        private int KilledBeforeReady { get; set; }

        private int SegmentsCompacted { get; set; }

        public void Corrupt(string problem)
        {
            CorruptReads++;
            Problems.Add(problem);
        }

        public void Cycle(WriterReport report, long from, long prefix)
        {
            Acknowledged += Math.Max(0, report.LastAcknowledged + 1 - from);
            Survived += prefix - from;
            LostUnflushed += Math.Max(0, report.LastAcknowledged + 1 - prefix);
            KilledBeforeReady += report.Ready ? 0 : 1;
            SegmentsCompacted += report.SegmentsCompacted;
        }

        public string Summary(int cycles) =>
            $"{durability}: crash cycles: {cycles}, lost acknowledged writes: {LostAcknowledged}, corrupt reads: {CorruptReads} " +
            $"(seed {seed}; operations acknowledged {Acknowledged}, survived {Survived}, " +
            $"acknowledged but unflushed and lost {LostUnflushed} (allowed in Batched only when not flushed); killed before ready {KilledBeforeReady}; segments compacted by the writers {SegmentsCompacted})";
    }
}
