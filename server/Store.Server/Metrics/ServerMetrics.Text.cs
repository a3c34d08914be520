using System.Diagnostics;
using System.Globalization;
using System.Text;
using Store.Client.Protocol;
using Store.Kv;

namespace Store.Server;

internal sealed partial class ServerMetrics
{
    private static readonly string[] RejectionNames = ["too_large", "bad_request", "unknown_opcode", "handshake"];

    /// <summary>Writes every metric in the Prometheus text exposition format (version 0.0.4).</summary>
    public void WriteText(StringBuilder text, Database database, bool shuttingDown)
    {
        WriteOperations(text);
        WriteLatencies(text);

        Header(text, "store_connections", "gauge", "Open binary-protocol connections.");
        Line(text, "store_connections", null, ConnectionsCurrent);
        Header(text, "store_connections_accepted_total", "counter", "Binary-protocol connections accepted since start.");
        Line(text, "store_connections_accepted_total", null, Volatile.Read(ref _connectionsTotal));
        Header(text, "store_connections_rejected_total", "counter", "Connections closed at once because MaxConnections were open.");
        Line(text, "store_connections_rejected_total", null, Volatile.Read(ref _connectionsRejected));
        Header(text, "store_received_bytes_total", "counter", "Bytes of frames read from clients.");
        Line(text, "store_received_bytes_total", null, Volatile.Read(ref _bytesReceived));
        Header(text, "store_sent_bytes_total", "counter", "Bytes of frames written to clients.");
        Line(text, "store_sent_bytes_total", null, Volatile.Read(ref _bytesSent));
        Header(text, "store_frames_rejected_total", "counter", "Frames refused before reaching an operation, by reason.");
        for (int i = 0; i < RejectionNames.Length; i++)
        {
            Line(text, "store_frames_rejected_total", $"reason=\"{RejectionNames[i]}\"", Volatile.Read(ref _rejectedFrames[i]));
        }

        Header(text, "store_shutting_down", "gauge", "1 while the server is stopping.");
        Line(text, "store_shutting_down", null, shuttingDown ? 1 : 0);
        WriteProcess(text);
        WriteDatabase(text, database);
    }

    private void WriteOperations(StringBuilder text)
    {
        Header(text, "store_operations_total", "counter", "Requests answered, by opcode and status.");
        for (int op = 0; op < Opcodes; op++)
        {
            for (int s = 0; s < StatusSlots; s++)
            {
                long n = Volatile.Read(ref _operations[(op * StatusSlots) + s]);
                if (n != 0)
                {
                    string status = Enum.GetName((StatusCode)s) ?? s.ToString(CultureInfo.InvariantCulture);
                    Line(text, "store_operations_total", $"opcode=\"{OpcodeName(op)}\",status=\"{status}\"", n);
                }
            }
        }
    }

    private void WriteLatencies(StringBuilder text)
    {
        const string Name = "store_operation_duration_seconds";
        Header(text, Name, "histogram", "Time from a request's parse to its reply being written, by opcode.");
        for (int op = 0; op < Opcodes; op++)
        {
            long total = 0;
            for (int b = 0; b < Buckets; b++)
            {
                total += Volatile.Read(ref _latencyBuckets[(op * Buckets) + b]);
            }

            if (total == 0)
            {
                continue;
            }

            string opcode = OpcodeName(op);
            long cumulative = 0;
            for (int b = 0; b < Buckets; b++)
            {
                cumulative += Volatile.Read(ref _latencyBuckets[(op * Buckets) + b]);
                string le = b < LatencyBoundsSeconds.Length ? LatencyBoundsSeconds[b].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
                Line(text, Name + "_bucket", $"opcode=\"{opcode}\",le=\"{le}\"", cumulative);
            }

            double seconds = Volatile.Read(ref _latencyTicks[op]) / (double)Stopwatch.Frequency;
            text.Append(Name).Append("_sum{opcode=\"").Append(opcode).Append("\"} ").Append(seconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            Line(text, Name + "_count", $"opcode=\"{opcode}\"", cumulative);
        }
    }

    private static void WriteProcess(StringBuilder text)
    {
        Header(text, "process_working_set_bytes", "gauge", "Physical memory of the server process.");
        Line(text, "process_working_set_bytes", null, Environment.WorkingSet);
        GCMemoryInfo gc = GC.GetGCMemoryInfo();
        Header(text, "dotnet_gc_heap_size_bytes", "gauge", "Managed heap size after the last garbage collection.");
        Line(text, "dotnet_gc_heap_size_bytes", null, gc.HeapSizeBytes);
        Header(text, "dotnet_gc_allocated_bytes_total", "counter", "Bytes allocated on the managed heap since start.");
        Line(text, "dotnet_gc_allocated_bytes_total", null, GC.GetTotalAllocatedBytes());
    }

    private static void WriteDatabase(StringBuilder text, Database database)
    {
        IReadOnlyList<string> names = database.Keyspaces;
        Header(text, "store_keyspaces", "gauge", "Keyspaces in the database.");
        Line(text, "store_keyspaces", null, names.Count);
        Header(text, "store_keyspace_entries", "gauge", "Keys per keyspace (expired keys not yet reaped included).");
        foreach (string name in names)
        {
            if (database.TryGetKeyspace(name, out Keyspace? keyspace))
            {
                Line(text, "store_keyspace_entries", $"keyspace=\"{Escape(name)}\"", keyspace.Count);
            }
        }

        Header(text, "store_data_directory_bytes", "gauge", "Bytes of all files under the database directory.");
        Line(text, "store_data_directory_bytes", null, DirectoryBytes(database.Path));
    }

    private static long DirectoryBytes(string path)
    {
        long total = 0;
        try
        {
            foreach (FileInfo file in new DirectoryInfo(path).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                total += file.Length;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A segment retired by compaction mid-walk: the sum is a moment's estimate either way.
        }

        return total;
    }

    private static string OpcodeName(int op) => Enum.IsDefined((Opcode)op) ? ((Opcode)op).ToString() : "0x" + op.ToString("X2", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Line(StringBuilder text, string name, string? labels, long value)
    {
        text.Append(name);
        if (labels is not null)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
