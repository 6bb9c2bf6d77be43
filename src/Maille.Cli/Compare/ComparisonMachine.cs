namespace Maille.Cli.Compare;

/// <summary>What the figures of a comparison depend on besides the data planes: the machine and how busy it was.</summary>
internal sealed record ComparisonMachine(int Cpus, string Kernel, string LoadBefore, string LoadAfter)
{
    /// <summary>This machine now (the load average "after" is filled in at the end).</summary>
    public static ComparisonMachine Now() => new(Environment.ProcessorCount, KernelRelease(), LoadAverage(), "");

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string KernelRelease() =>
        File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : Environment.OSVersion.Version.ToString();
}
