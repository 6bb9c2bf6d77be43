using System.Globalization;
using System.Runtime.InteropServices;
using Maille.Kube;

namespace Maille.Lab.Labs;

/// <summary>
/// What every lab node reports of the machine it shares with the others (<see cref="NodeSystem"/>): read once when the
/// daemon starts, from <c>/proc</c> and <c>/etc</c>; what cannot be read is left empty rather than invented.
/// </summary>
internal static class MachineNodeSystem
{
    public static NodeSystem Read() => new()
    {
        Cpus = Environment.ProcessorCount,
        MemoryKibibytes = MemTotal(),
        KernelVersion = ReadLine("/proc/sys/kernel/osrelease"),
        OsImage = PrettyName(),
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            var other => other.ToString().ToLowerInvariant(),
        },
        KubeletVersion = Api.Discovery.GitVersion,
        ContainerRuntimeVersion = $"maille://{Api.Discovery.GitVersion.Split("+maille.")[^1]}",
        MachineId = ReadLine("/etc/machine-id"),
        BootId = ReadLine("/proc/sys/kernel/random/boot_id"),
    };

    private static long MemTotal()
    {
        // "MemTotal:       16318412 kB"
        var line = Lines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        var parts = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts is { Length: >= 2 } && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes) ? kibibytes : 0;
    }

    private static string PrettyName()
    {
        var line = Lines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        return line?["PRETTY_NAME=".Length..].Trim('"') ?? "Linux";
    }

    private static string ReadLine(string path) => Lines(path).FirstOrDefault()?.Trim() ?? "";

    private static string[] Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
