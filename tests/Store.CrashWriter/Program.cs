using System.Diagnostics;
using System.Globalization;
using System.Text;
using Store.CrashWriter;
using Store.Kv;

// The writer child of the KV crash tests. Usage: Store.CrashWriter <directory> <None|Batched|Always> <first op>
// (or Store.CrashWriter vectors <directory> <first op>: the vector crash test's writer, VectorCrashWriter.cs).
// Opens the database, prints "ready <first op>", then applies CrashOps operations first, first+1, ...
// and prints each operation's number once the call returned ("acknowledged"). Batched and None
// writers also call Flush() every CrashOps.FlushEvery operations and print "F <op>" afterwards: every
// operation up to <op> is then durable. A second thread compacts every 50 ms (printing "C <segments>"
// when segments were removed) so kills also land inside compaction. It runs until killed, until its
// standard input closes (the test process went away), or for at most two minutes.
if (args.Length > 0 && args[0] == "vectors")
{
    StartWatchdog();
    return VectorCrashWriter.Run(args[1..]);
}

if (args.Length != 3
    || !Enum.TryParse(args[1], out Durability durability)
    || !long.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out long first))
{
    Console.Error.WriteLine("usage: Store.CrashWriter <directory> <None|Batched|Always> <first op>");
    return 2;
}

StartWatchdog();

using Stream stdout = Console.OpenStandardOutput();
using Database db = Database.Open(args[0], CrashOps.Options(durability));
Keyspace keyspace = db.GetOrCreateKeyspace(CrashOps.KeyspaceName);
Say($"ready {first}");
var compactor = new Thread(() =>
{
    while (true)
    {
        Thread.Sleep(50);
        int removed = db.Compact();
        if (removed > 0)
        {
            Say($"C {removed}");
        }
    }
})
{ IsBackground = true, Name = "compactor" };
compactor.Start();
var lifetime = Stopwatch.StartNew();
for (long op = first; lifetime.Elapsed < TimeSpan.FromMinutes(2); op++)
{
    byte[] key = CrashOps.Key(CrashOps.Slot(op));
    if (CrashOps.IsDelete(op))
    {
        keyspace.Delete(key);
    }
    else
    {
        keyspace.Set(key, CrashOps.Value(op));
    }

    Say(op.ToString(CultureInfo.InvariantCulture));
    if (durability != Durability.Always && (op + 1) % CrashOps.FlushEvery == 0)
    {
        db.Flush();
        Say($"F {op}");
    }
}

return 4;

void Say(string line)
{
    lock (stdout)
    {
        stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));
        stdout.Flush();
    }
}

// Exits when standard input closes (the test process went away), so a child never outlives its test.
static void StartWatchdog()
{
    var watchdog = new Thread(() =>
    {
        try
        {
            Console.OpenStandardInput().CopyTo(Stream.Null);
        }
        catch (IOException)
        {
        }

        Environment.Exit(3);
    })
    { IsBackground = true, Name = "stdin-watchdog" };
    watchdog.Start();
}
