using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Engine.Workloads;
using Maille.Kube.Tables;
using Maille.Model;

namespace Maille.Kube.Views;

/// <summary><c>maille get</c> over a planned cluster: kubectl's table, or the objects as JSON or YAML.</summary>
public static class GetView
{
    /// <param name="counters">A running lab's policy rule counters, for <c>get netpol -o wide</c>.</param>
    public static int Write(ClusterState cluster, GetRequest request, RuleCounters? counters, TimeProvider clock, TextWriter stdout, TextWriter stderr) =>
        Write(cluster, [request.Resource], request, counters, clock, stdout, stderr);

    /// <summary>
    /// Several kinds at once (<c>maille get gateways,httproutes</c>), as kubectl prints them: one <c>List</c> of every
    /// object for <c>-o json|yaml</c>; for tables, one table per kind that has objects, a blank line between them.
    /// </summary>
    public static int Write(ClusterState cluster, IReadOnlyList<ResourceKind> resources, GetRequest request, RuleCounters? counters, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        if (resources.Count == 1)
        {
            return WriteOne(cluster, request with { Resource = resources[0] }, counters, clock, stdout, stderr);
        }

        var selections = resources.Select(r => Select(cluster, request with { Resource = r, Name = null }, counters, clock)).ToList();
        switch (request.Output)
        {
            case "json":
                KubeOutput.WriteJson(stdout, [.. selections.SelectMany(s => s.Objects)], single: false);
                return 0;
            case "yaml":
                KubeOutput.WriteYaml(stdout, [.. selections.SelectMany(s => s.Objects)], single: false);
                return 0;
        }

        var first = true;
        foreach (var (table, _) in selections.Where(s => s.Table.Count > 0))
        {
            if (!first)
            {
                stdout.WriteLine();
            }

            table.Write(stdout);
            first = false;
        }

        if (first)
        {
            stderr.WriteLine(request.AllNamespaces ? "No resources found" : $"No resources found in {request.Namespace} namespace.");
        }

        return 0;
    }

    private static int WriteOne(ClusterState cluster, GetRequest request, RuleCounters? counters, TimeProvider clock, TextWriter stdout, TextWriter stderr)
    {
        var (resource, objectName, ns, output) = (request.Resource, request.Name, request.Namespace, request.Output);
        var all = ResourceKinds.IsNamespaced(resource) && request.AllNamespaces && objectName is null;
        var selected = Select(cluster, request, counters, clock);

        if (objectName is not null && selected.Objects.Count == 0)
        {
            stderr.WriteLine($"Error from server (NotFound): {ResourceKinds.Plural(resource)} \"{objectName}\" not found");
            return 1;
        }

        switch (output)
        {
            case "json":
                KubeOutput.WriteJson(stdout, selected.Objects, objectName is not null);
                break;
            case "yaml":
                KubeOutput.WriteYaml(stdout, selected.Objects, objectName is not null);
                break;
            default:
                if (selected.Table.Count == 0)
                {
                    stderr.WriteLine(ResourceKinds.IsNamespaced(resource) && !all ? $"No resources found in {ns} namespace." : "No resources found");
                    return 0;
                }

                selected.Table.Write(stdout);
                break;
        }

        return 0;
    }

    private static (KubectlTable Table, List<object> Objects) Select(ClusterState cluster, GetRequest request, RuleCounters? counters, TimeProvider clock)
    {
        var (resource, objectName, ns, output) = (request.Resource, request.Name, request.Namespace, request.Output);
        var all = ResourceKinds.IsNamespaced(resource) && request.AllNamespaces && objectName is null;
        bool InScope(ObjectMeta meta) => (all || meta.Namespace is null || meta.Namespace == ns) && (objectName is null || meta.Name == objectName);

        var tables = new ResourceTables(cluster, clock, restarts: request.Restarts);
        GatewayPlan? gateways = null;
        GatewayPlan Gateways() => gateways ??= GatewayController.Build(cluster);
        var wide = output == "wide";
        return resource switch
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
            ResourceKind.GatewayClasses => Pick(cluster.GatewayClasses, c => c.Meta, InScope, x => tables.GatewayClasses(x, Gateways(), wide), c => GatewayObjectWriter.Write(c, Gateways())),
            ResourceKind.Gateways => Pick(cluster.Gateways, g => g.Meta, InScope, x => tables.Gateways(x, Gateways(), all), g => GatewayObjectWriter.Write(g, Gateways())),
            ResourceKind.HttpRoutes => Pick(cluster.HttpRoutes, r => r.Meta, InScope, x => tables.Routes(x.Select(r => (r.Meta, r.Hostnames)), all), r => GatewayObjectWriter.Write(r, Gateways())),
            ResourceKind.GrpcRoutes => Pick(cluster.GrpcRoutes, r => r.Meta, InScope, x => tables.Routes(x.Select(r => (r.Meta, r.Hostnames)), all), r => GatewayObjectWriter.Write(r, Gateways())),
            ResourceKind.ReferenceGrants => Pick(cluster.ReferenceGrants, g => g.Meta, InScope, x => tables.ReferenceGrants(x, all), GatewayObjectWriter.Write),
            ResourceKind.ClusterNetworkPolicies => Pick(cluster.ClusterNetworkPolicies.Where(p => p.SourceKind == PolicyApi.ClusterNetworkPolicyKind), p => p.Meta, InScope, tables.ClusterNetworkPolicySummaries, p => ClusterNetworkPolicyObjectWriter.Write(p, request.Programmed ? [.. cluster.Nodes.Select(n => n.Name)] : null)),
            _ => throw new InvalidOperationException($"unhandled kind {resource}"),
        };
    }

    private static IEnumerable<Workload> Workloads(ClusterState cluster, WorkloadKind kind) =>
        cluster.Workloads.Where(w => w.Kind == kind).OrderBy(w => w.Meta.Namespace, StringComparer.Ordinal).ThenBy(w => w.Meta.Name, StringComparer.Ordinal);

    private static (KubectlTable, List<object>) Pick<T>(IEnumerable<T> items, Func<T, ObjectMeta> meta, Func<ObjectMeta, bool> inScope, Func<IEnumerable<T>, KubectlTable> table, Func<T, object> write)
    {
        var chosen = items.Where(i => inScope(meta(i))).ToList();
        return (table(chosen), chosen.Select(write).ToList());
    }
}
