using System.Diagnostics;

/// <summary>What the benchmarks print beside their figures about the machine and the process.</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages (a figure taken at load 20 is mostly waiting for a core).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>This process's resident set, in bytes.</summary>
    public static long Rss()
    {
        using var p = Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }
}
