using System.CommandLine;

namespace Maille.Cli.Commands;

/// <summary>Options shared by the commands that read manifests, spelled as kubectl spells them.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Files { get; } = new("--filename", "-f")
    {
        Description = "Manifest file, folder (recursive) or - for stdin; repeatable",
        Required = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> Config { get; } = new("--config")
    {
        Description = "A ClusterConfig file (apiVersion maille.dev/v1alpha1); defaults otherwise",
    };

    public static Option<string?> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "Only this namespace (default: default)",
    };

    public static Option<bool> AllNamespaces { get; } = new("--all-namespaces", "-A")
    {
        Description = "Every namespace",
    };

    public static Option<string?> GetOutput { get; } = CreateOutput("wide", "json", "yaml");

    public static Option<string?> CreateOutput(params string[] formats)
    {
        var option = new Option<string?>("--output", "-o") { Description = "Output format: " + string.Join("|", formats) };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
