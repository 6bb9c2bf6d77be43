using System.CommandLine;
using Maille.Engine.NetworkPolicies;

namespace Maille.Cli.Commands;

/// <summary>
/// Options shared by the commands that read manifests, spelled as kubectl spells them. Each call makes a new option:
/// a command tree owns its options, so trees built concurrently (tests run in parallel) never share state.
/// </summary>
internal static class CommonOptions
{
    public static Option<string[]> Files(bool required = true) => new("--filename", "-f")
    {
        Description = "Manifest file, folder (recursive) or - for stdin; repeatable",
        Required = required,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Config() => new("--config")
    {
        Description = "A ClusterConfig file (apiVersion maille.dev/v1alpha1); defaults otherwise",
    };

    /// <summary><c>--kubeconfig</c> for the commands that can read a running cluster instead of files.</summary>
    public static Option<string?> Kubeconfig() => new("--kubeconfig")
    {
        Description = "Read a running cluster through its API instead of files, with this kubeconfig (--context alone uses KUBECONFIG, else ~/.kube/config)",
    };

    /// <summary><c>--context</c>: the kubeconfig's context to read (its current one when only --kubeconfig is given).</summary>
    public static Option<string?> Context() => new("--context")
    {
        Description = "The kubeconfig context of the running cluster to read (default: the current one)",
    };

    public static Option<string?> Namespace() => new("--namespace", "-n")
    {
        Description = "Only this namespace (default: default)",
    };

    public static Option<bool> AllNamespaces() => new("--all-namespaces", "-A")
    {
        Description = "Every namespace",
    };

    /// <summary><c>--port PORT[/PROTO]</c>, repeatable; <paramref name="otherwise"/> says which ports are used without it.</summary>
    public static Option<string[]> Ports(string otherwise) => new("--port")
    {
        Description = "A destination port as PORT or PORT/PROTO (TCP, UDP, SCTP; default TCP); repeatable. Default: " + otherwise,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The <c>--port</c> values as ports; null after saying which one is not a port.</summary>
    public static List<PortProtocol>? ParsePorts(IEnumerable<string>? texts, CliContext context)
    {
        var ports = new List<PortProtocol>();
        foreach (var text in texts ?? [])
        {
            if (!PortProtocol.TryParse(text, out var port))
            {
                context.Stderr.WriteLine($"error: --port {text}: expected PORT or PORT/PROTO with PORT in 1-65535 and PROTO one of TCP, UDP, SCTP");
                return null;
            }

            ports.Add(port);
        }

        return ports;
    }

    public static Option<string?> GetOutput() => CreateOutput("wide", "json", "yaml");

    public static Option<string?> CreateOutput(params string[] formats)
    {
        var option = new Option<string?>("--output", "-o") { Description = "Output format: " + string.Join("|", formats) };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
