using System.Runtime;
using System.Runtime.InteropServices;

namespace Store.Bench.Reporting;

/// <summary>One line about the machine and runtime, for the header of a result file.</summary>
internal static class MachineDescription
{
    public static string Describe()
    {
        string gc = GCSettings.IsServerGC ? "server" : "workstation";
        string concurrent = GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent";
        return $"{Environment.ProcessorCount} logical CPUs ({CpuModel()}), {RuntimeInformation.OSDescription} " +
            $"{RuntimeInformation.OSArchitecture}, .NET {Environment.Version}, {gc} {concurrent} GC";
    }

    private static string CpuModel()
    {
        const string CpuInfo = "/proc/cpuinfo";
        try
        {
            if (File.Exists(CpuInfo))
            {
                foreach (string line in File.ReadLines(CpuInfo))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }

        return "cpu model unknown";
    }
}
