using System.CommandLine;
using System.Runtime.Versioning;
using Maille.Dataplane.Linux.Lab;
using Maille.Dataplane.Linux.Netns;
using Maille.Lab.Labs;

namespace Maille.Cli.Lab;

/// <summary>What every live-lab command shares: the <c>--lab</c> option, the root check, the labs known here.</summary>
internal static partial class LabCommon
{
    public const string DefaultLab = "default";

    public static Option<string> LabOption() => new("--lab")
    {
        Description = "The lab's name (lower-case letters and digits)",
        DefaultValueFactory = _ => DefaultLab,
    };

    /// <summary>Refuses to go on unless this is Linux, as root, with a valid lab name; says why otherwise.</summary>
    public static bool CanRunLab(CliContext context, string lab)
    {
        if (!OperatingSystem.IsLinux())
        {
            context.Stderr.WriteLine("error: the live lab needs Linux (network namespaces); the offline commands work anywhere");
            return false;
        }

        if (!Environment.IsPrivilegedProcess)
        {
            context.Stderr.WriteLine("error: the live lab needs root to create network namespaces; run it with sudo");
            return false;
        }

        if (!LabNames.IsValidLab(lab))
        {
            context.Stderr.WriteLine($"error: --lab {lab}: a lab name is 1 to {LabNames.MaxLabNameLength} lower-case letters and digits");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Labs that have state or namespaces, even if their daemon or state is gone. Only names shaped like a lab's
    /// (<c>maille-LAB-underlay</c>, <c>-external</c>, <c>-node-…</c>, <c>-pod-HASH</c>) count, so other tools' namespaces
    /// that merely start with <c>maille-</c> (a benchmark's baseline pair, say) are left alone.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static IReadOnlyList<string> KnownLabs()
    {
        var fromNamespaces = NetworkNamespace.List(NetworkNamespace.NamePrefix)
            .Select(LabNames.LabOf)
            .OfType<string>();
        return [.. LabState.All().Select(s => s.Lab).Concat(fromNamespaces).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
