using System.CommandLine;
using Maille.Cli.Input;
using Maille.Cli.Output;
using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;

namespace Maille.Cli.Commands;

/// <summary>
/// <c>maille matrix -f PATH | --kubeconfig FILE [--context NAME] [--port PORT/PROTO]... [-n NS] [-o table|json|csv|md]</c>: who can reach whom under the
/// NetworkPolicies, for every ordered pair of pods on every port.
/// </summary>
internal static class MatrixCommand
{
    public static Command Create(CliContext context)
    {
        var portsOption = CommonOptions.Ports("every containerPort the pods declare");
        var namespaceOption = new Option<string?>("--namespace", "-n")
        {
            Description = "Only this namespace's pods, as sources and destinations (default: every namespace)",
        };
        var outputOption = CommonOptions.CreateOutput("table", "json", "csv", "md");
        var filesOption = CommonOptions.Files(required: false);
        var configOption = CommonOptions.Config();
        var kubeconfigOption = CommonOptions.Kubeconfig();
        var contextOption = CommonOptions.Context();
        var command = new Command("matrix", """
            Compute the NetworkPolicy reachability matrix: for each port, whether each pod may open a connection to
            each pod (self included), with the source's egress and the destination's ingress both applied, then the
            service mesh's authorization for pods in the mesh (M: denied by the mesh; see docs/mesh.md).
            hostNetwork pods are left out. Exit code 1 when the input is invalid.

            Examples:
              maille matrix -f examples/netpol-playground/pods.yaml -f examples/netpol-playground/scenarios/peers-and.yaml --port 80
              maille matrix -f examples/netpol-playground/pods.yaml -n x -o json
              maille matrix --context maille-play --port 80   # a running cluster (or lab), read through its API
            """)
        {
            filesOption,
            configOption,
            kubeconfigOption,
            contextOption,
            portsOption,
            namespaceOption,
            outputOption,
        };
        command.SetAction(parse =>
        {
            if (CommonOptions.ParsePorts(parse.GetValue(portsOption), context) is not { } ports)
            {
                return 1;
            }

            var cluster = ClusterInput.Load(parse.GetValue(filesOption) ?? [], ClusterInput.Live(parse.GetValue(kubeconfigOption), parse.GetValue(contextOption)), parse.GetValue(configOption), context);
            if (cluster is null)
            {
                return 1;
            }

            var ns = parse.GetValue(namespaceOption);
            var pods = cluster.Pods.Where(p => !p.Spec.HostNetwork && (ns is null || p.Namespace == ns)).ToList();
            var matrix = ReachabilityMatrix.Compute(
                NetworkPolicyEvaluator.For(cluster),
                pods,
                ports.Count > 0 ? ports : ReachabilityMatrix.DeclaredPorts(pods),
                MeshAuthorizer.For(cluster));
            MatrixOutput.Write(matrix, parse.GetValue(outputOption) ?? "table", context.Stdout);
            return 0;
        });
        return command;
    }
}
