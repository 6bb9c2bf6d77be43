using System.Globalization;
using Maille.Dataplane.Linux.Interop;

namespace Maille.Lab.Labs;

/// <summary>The limits of this machine that bound a lab's size (<see cref="LabCapacity"/>).</summary>
/// <param name="DescriptorLimit">The hard limit on open descriptors of a process started from here (RLIMIT_NOFILE): the daemon raises its soft limit to it.</param>
/// <param name="AvailableMemory">MemAvailable, in bytes, or null when unknown.</param>
public sealed record MachineLimits(long DescriptorLimit, long? AvailableMemory)
{
    /// <summary>Reads the limits of this process and machine.</summary>
    public static MachineLimits Read() => new(ReadDescriptorLimit(), ReadAvailableMemory());

    /// <summary>Raises this process's soft descriptor limit to its hard limit (the .NET runtime does too; this says so when it cannot).</summary>
    public static void RaiseDescriptorLimit()
    {
        if (Libc.GetRLimit(Libc.RlimitNoFile, out var limit) != 0)
        {
            throw Libc.LastError("getrlimit(RLIMIT_NOFILE)");
        }

        if (limit.Current < limit.Maximum)
        {
            var raised = limit with { Current = limit.Maximum };
            if (Libc.SetRLimit(Libc.RlimitNoFile, raised) != 0)
            {
                throw Libc.LastError($"setrlimit(RLIMIT_NOFILE, {limit.Maximum})");
            }
        }
    }

    private static long ReadDescriptorLimit()
    {
        if (Libc.GetRLimit(Libc.RlimitNoFile, out var limit) != 0)
        {
            throw Libc.LastError("getrlimit(RLIMIT_NOFILE)");
        }

        return limit.Maximum > long.MaxValue ? long.MaxValue : (long)limit.Maximum;
    }

    private static long? ReadAvailableMemory()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
