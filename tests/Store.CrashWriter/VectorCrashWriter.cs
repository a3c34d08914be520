using System.Diagnostics;
using System.Globalization;
using System.Text;
using Store.Kv;
using Store.Vectors;

namespace Store.CrashWriter;

/// <summary>
/// The writer child of the vector crash test. Usage: Store.CrashWriter vectors &lt;directory&gt; &lt;first op&gt;.
/// Opens the database (replaying what the last run left), prints "ready &lt;first op&gt;", then applies
/// <see cref="VectorCrashOps"/> operations first, first+1, ... to the built SPANN collection, printing each
/// number once the call returned (durable: Durability.Always). Runs until killed, until its standard input
/// closes, or for two minutes.
/// </summary>
internal static class VectorCrashWriter
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out long first))
        {
            Console.Error.WriteLine("usage: Store.CrashWriter vectors <directory> <first op>");
            return 2;
        }

        using Stream stdout = Console.OpenStandardOutput();
        using Database db = Database.Open(args[0], VectorCrashOps.Database);
        VectorCollection collection = db.GetVectorCollection(VectorCrashOps.CollectionName);
        Say(stdout, $"ready {first}");
        var lifetime = Stopwatch.StartNew();
        for (long op = first; lifetime.Elapsed < TimeSpan.FromMinutes(2); op++)
        {
            long id = VectorCrashOps.Slot(op);
            if (VectorCrashOps.IsDelete(op))
            {
                collection.Remove(id);
            }
            else
            {
                collection.Add(id, VectorCrashOps.Vector(op));
            }

            Say(stdout, op.ToString(CultureInfo.InvariantCulture));
        }

        return 4;
    }

    private static void Say(Stream stdout, string line)
    {
        stdout.Write(Encoding.ASCII.GetBytes(line + "\n"));
        stdout.Flush();
    }
}
