using System.CommandLine;
using System.Runtime.Versioning;
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

    /// <summary><c>--kubeconfig FILE</c> of <c>up</c> and <c>down</c>, as kind's: the file whose context they set and remove.</summary>
    public static Option<string?> KubeconfigOption() => new("--kubeconfig")
    {
        Description = "The kubeconfig to add the lab's context to, or remove it from (default: the first file in KUBECONFIG, else ~/.kube/config; under sudo, the invoking user's)",
    };

    /// <summary>Merges the lab's cluster, user and context into the user's kubeconfig and makes it current; says where.</summary>
    [SupportedOSPlatform("linux")]
    public static void RememberKubeconfig(CliContext context, LabState state, string? explicitPath)
    {
        var target = Maille.Lab.Api.KubeconfigTarget.Resolve(explicitPath);
        var name = Maille.Lab.Api.LabKubeconfig.ContextName(state.Lab);
        try
        {
            Maille.Lab.Api.LabKubeconfig.Merge(target.Path, Kubeconfig(state), target.Owner);
            context.Stdout.WriteLine($"Set kubectl context to \"{name}\" (in {target.Path}).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
        {
            context.Stderr.WriteLine($"warning: the lab is up, but its kubectl context could not be added to {target.Path}: {e.Message}; `maille kubeconfig --lab {state.Lab}` prints one");
        }
    }

    /// <summary>Removes the lab's context from the user's kubeconfig, if it is there; says so.</summary>
    [SupportedOSPlatform("linux")]
    public static void ForgetKubeconfig(CliContext context, string lab, string? explicitPath)
    {
        var target = Maille.Lab.Api.KubeconfigTarget.Resolve(explicitPath);
        var name = Maille.Lab.Api.LabKubeconfig.ContextName(lab);
        try
        {
            if (Maille.Lab.Api.LabKubeconfig.Remove(target.Path, name, target.Owner))
            {
                context.Stdout.WriteLine($"Deleted kubectl context \"{name}\" (from {target.Path}).");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            context.Stderr.WriteLine($"warning: kubectl context {name} could not be removed from {target.Path}: {e.Message}");
        }
    }

    /// <summary>The running lab's standalone kubeconfig; throws <see cref="InvalidOperationException"/> when it has no API yet.</summary>
    [SupportedOSPlatform("linux")]
    public static string Kubeconfig(LabState state)
    {
        if (state.ReadStatus() is not { Phase: LabStatus.Ready, ApiPort: { } port })
        {
            throw new InvalidOperationException($"lab {state.Lab} is not up (or its daemon predates the HTTPS API)");
        }

        return Maille.Lab.Api.LabKubeconfig.Standalone(state.Lab, port, Maille.Lab.Api.LabCredentials.Load(state.PkiDirectory));
    }

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

        if (!LabNamespaces.IsValidLab(lab))
        {
            context.Stderr.WriteLine($"error: --lab {lab}: {LabNamespaces.LabNameRule}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the packages a lab's data plane loads in-process are here (libnftables, from Debian's nftables): without
    /// this check the daemon dies deep in its first node agent, and <c>up</c> could only show the end of a stack trace.
    /// </summary>
    public static bool HasLabPackages(CliContext context, bool nftablesLoadable)
    {
        if (nftablesLoadable)
        {
            return true;
        }

        context.Stderr.WriteLine("error: the live lab needs libnftables (Debian package nftables) for its Service proxy and policy enforcer; "
            + "install it (apt-get install nftables) — `maille demo` installs what the lab needs; nothing was built");
        return false;
    }

    /// <summary>
    /// Labs that have state or namespaces, even if their daemon or state is gone. Only names shaped like a lab's
    /// (<c>maille-LAB-underlay</c>, <c>-external</c>, <c>-node-…</c>, <c>-pod-HASH</c>) count, so other tools' namespaces
    /// that merely start with <c>maille-</c> (a benchmark's baseline pair, say) are left alone.
    /// </summary>
    [SupportedOSPlatform("linux")]
    public static IReadOnlyList<string> KnownLabs()
    {
        return [.. LabState.All().Select(s => s.Lab).Concat(LabNamespaces.Labs()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }
}
