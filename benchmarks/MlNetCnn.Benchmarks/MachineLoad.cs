namespace MlNetCnn.Benchmarks;

/// <summary>The machine's load averages (1, 5, 15 min), printed with every benchmark run: figures from a busy machine are read as such.</summary>
internal static class MachineLoad
{
    public static string Describe() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
