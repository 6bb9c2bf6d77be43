using System.Text;
using System.Text.Json.Nodes;
using Maille.Kube;
using Maille.Kube.Views;
using Maille.Model;

namespace Maille.Cli.Lab;

/// <summary>
/// A running lab's objects as <c>maille get KIND -A -o json --lab</c> shows them (with their status: pod addresses and
/// readiness, LoadBalancer addresses), read back into Maille's model: what the demo looks at between its steps.
/// </summary>
internal static class LabObjects
{
    /// <summary>The objects of the given kinds, or null (having said why) when the daemon could not answer.</summary>
    public static ManifestSet? Read(CliContext context, string lab, params ResourceKind[] kinds)
    {
        var documents = new StringBuilder();
        foreach (var kind in kinds)
        {
            var answer = LabViews.Ask(context, lab, "get", [("resource", ResourceKinds.Plural(kind)), ("allNamespaces", "true"), ("output", "json")]);
            if (answer is not { ExitCode: 0 })
            {
                context.Stderr.Write(answer?.Stderr);
                return null;
            }

            foreach (var item in JsonNode.Parse(answer.Stdout)?["items"]?.AsArray() ?? [])
            {
                documents.Append("---\n").Append(item!.ToJsonString()).Append('\n');
            }
        }

        var (manifests, diagnostics) = ManifestLoader.Load([new ManifestSource($"lab {lab}", documents.ToString())]);
        foreach (var error in diagnostics.Where(d => d.IsError))
        {
            context.Stderr.WriteLine($"error: the lab's objects do not read back: {error}");
            return null;
        }

        return manifests;
    }
}
