using System.CommandLine;
using Maille.Cli.Input;
using Maille.Cli.Output;
using Maille.Engine.Workloads;
using Maille.Engine;
using Maille.Kube.Tables;
using Maille.Kube;
using Maille.Model;

namespace Maille.Cli.Commands;

/// <summary><c>maille get KIND [NAME] -f PATH [-n NS | -A] [-o wide|json|yaml]</c>: kubectl's get, over the planned cluster.</summary>
internal static class GetCommand
{
    public static Command Create(CliContext context)
    {
        var filesOption = CommonOptions.Files(required: false);
        var labOption = new Option<string?>("--lab") { Description = "Read a running lab instead of -f: the objects it was brought up with, with live readiness" };
        var configOption = CommonOptions.Config();
        var namespaceOption = CommonOptions.Namespace();
        var allNamespacesOption = CommonOptions.AllNamespaces();
        var getOutputOption = CommonOptions.GetOutput();
        var kind = new Argument<string>("KIND") { Description = "What to list: " + string.Join(", ", ResourceKinds.Names) };
        var name = new Argument<string?>("NAME") { Description = "One object by name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", """
            Show the planned objects as kubectl get would, with every allocated field filled in.

            Examples:
              maille get svc -A -f examples/shop
              maille get pods -n shop-web -o wide -f examples/shop
              maille get svc frontend -n shop-web -o yaml -f examples/shop
              sudo maille get pods -A -o wide --lab play
              sudo maille get netpol -A -o wide --lab play      # each policy rule's packets (connections allowed)
            """)
        {
            kind,
            name,
            filesOption,
            configOption,
            namespaceOption,
            allNamespacesOption,
            getOutputOption,
            labOption,
        };
        command.SetAction(parse =>
        {
            if (!ResourceKinds.TryParse(parse.GetValue(kind)!, out var resource))
            {
                context.Stderr.WriteLine($"error: the server doesn't have a resource type \"{parse.GetValue(kind)}\" (maille knows: {string.Join(", ", ResourceKinds.Names)})");
                return 1;
            }

            var output = parse.GetValue(getOutputOption) ?? "";
            var files = parse.GetValue(filesOption) ?? [];
            var lab = parse.GetValue(labOption);
            if (files.Length > 0 == (lab is not null))
            {
                context.Stderr.WriteLine("error: give manifests with -f, or a running lab with --lab (one of the two)");
                return 1;
            }

            var cluster = lab is null ? ClusterInput.Load(files, parse.GetValue(configOption), context) : LiveCluster(context, lab);
            if (cluster is null)
            {
                return 1;
            }

            RuleCounters? counters = null;
            if (lab is not null && output == "wide" && resource == ResourceKind.NetworkPolicies && OperatingSystem.IsLinux())
            {
                counters = Lab.PolicyCounterQuery.Fetch(context, lab);
                if (counters is null)
                {
                    return 1;
                }
            }

            var all = parse.GetValue(allNamespacesOption);
            var ns = parse.GetValue(namespaceOption) ?? "default";
            var objectName = parse.GetValue(name);
            return Run(context, cluster, resource, objectName, ResourceKinds.IsNamespaced(resource) && all && objectName is null, ns, output, counters);
        });
        return command;
    }

    /// <summary>A running lab's cluster, with the readiness its daemon's probes observe.</summary>
    internal static ClusterState? LiveCluster(CliContext context, string lab)
    {
        if (!Lab.LabCommon.CanRunLab(context, lab) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        var state = new Maille.Lab.Labs.LabState(lab);
        if (!state.DaemonAlive())
        {
            context.Stderr.WriteLine($"error: lab {lab} is not up (`maille ls` lists labs)");
            return null;
        }

        return Maille.Lab.Labs.LabDaemon.LoadCluster(state, live: true);
    }

    private static int Run(CliContext context, ClusterState cluster, ResourceKind resource, string? objectName, bool all, string ns, string output, RuleCounters? counters)
    {
        bool InScope(ObjectMeta meta) => (all || meta.Namespace is null || meta.Namespace == ns) && (objectName is null || meta.Name == objectName);

        var tables = new ResourceTables(cluster, TimeProvider.System);
        var wide = output == "wide";
        (KubectlTable Table, List<object> Objects) selected = resource switch
        {
            ResourceKind.Nodes => Pick(cluster.Nodes, n => n.Meta, InScope, x => tables.Nodes(x, wide), KubeObjectWriter.Write),
            ResourceKind.Namespaces => Pick(cluster.Namespaces, n => n.Meta, InScope, tables.Namespaces, KubeObjectWriter.Write),
            ResourceKind.Pods => Pick(cluster.Pods, p => p.Meta, InScope, x => tables.Pods(x, wide, all), KubeObjectWriter.Write),
            ResourceKind.Services => Pick(cluster.Services, s => s.Meta, InScope, x => tables.Services(x, wide, all), KubeObjectWriter.Write),
            ResourceKind.EndpointSlices => Pick(cluster.EndpointSlices, s => s.Meta, InScope, x => tables.EndpointSlices(x, all), KubeObjectWriter.Write),
            ResourceKind.NetworkPolicies => Pick(cluster.NetworkPolicies, p => p.Meta, InScope, x => tables.NetworkPolicies(x, all, counters), KubeObjectWriter.Write),
            ResourceKind.Ingresses => Pick(cluster.Ingresses, i => i.Meta, InScope, x => tables.Ingresses(x, all), KubeObjectWriter.Write),
            ResourceKind.Deployments => Pick(Workloads(cluster, WorkloadKind.Deployment), w => w.Meta, InScope, x => tables.Deployments(x, wide, all), w => KubeObjectWriter.Write(w, tables.Status(w))),
            ResourceKind.ReplicaSets => Pick(WorkloadStatus.ReplicaSets(cluster), w => w.Meta, InScope, x => tables.ReplicaSets(x, wide, all), w => KubeObjectWriter.Write(w, tables.Status(w))),
            ResourceKind.StatefulSets => Pick(Workloads(cluster, WorkloadKind.StatefulSet), w => w.Meta, InScope, x => tables.StatefulSets(x, wide, all), w => KubeObjectWriter.Write(w, tables.Status(w))),
            ResourceKind.DaemonSets => Pick(Workloads(cluster, WorkloadKind.DaemonSet), w => w.Meta, InScope, x => tables.DaemonSets(x, wide, all), w => KubeObjectWriter.Write(w, tables.Status(w))),
            _ => throw new InvalidOperationException($"unhandled kind {resource}"),
        };

        if (objectName is not null && selected.Objects.Count == 0)
        {
            context.Stderr.WriteLine($"Error from server (NotFound): {ResourceKinds.Plural(resource)} \"{objectName}\" not found");
            return 1;
        }

        switch (output)
        {
            case "json":
                KubeOutput.WriteJson(context.Stdout, selected.Objects, objectName is not null);
                break;
            case "yaml":
                KubeOutput.WriteYaml(context.Stdout, selected.Objects, objectName is not null);
                break;
            default:
                if (selected.Table.Count == 0)
                {
                    context.Stderr.WriteLine(ResourceKinds.IsNamespaced(resource) && !all ? $"No resources found in {ns} namespace." : "No resources found");
                    return 0;
                }

                selected.Table.Write(context.Stdout);
                break;
        }

        return 0;
    }

    private static IEnumerable<Workload> Workloads(ClusterState cluster, WorkloadKind kind) =>
        cluster.Workloads.Where(w => w.Kind == kind).OrderBy(w => w.Meta.Namespace, StringComparer.Ordinal).ThenBy(w => w.Meta.Name, StringComparer.Ordinal);

    private static (KubectlTable, List<object>) Pick<T>(IEnumerable<T> items, Func<T, ObjectMeta> meta, Func<ObjectMeta, bool> inScope, Func<IEnumerable<T>, KubectlTable> table, Func<T, object> write)
    {
        var chosen = items.Where(i => inScope(meta(i))).ToList();
        return (table(chosen), chosen.Select(write).ToList());
    }
}
