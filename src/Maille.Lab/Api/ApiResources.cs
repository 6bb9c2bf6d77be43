using Maille.Engine;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>The kinds a lab serves, as the Kubernetes API names them, with Kubernetes objects from the planned cluster.</summary>
internal static class ApiResources
{
    public static IReadOnlyList<ApiResource> All { get; } =
    [
        new("", "v1", "nodes", "Node", false, c => c.Nodes.Select(n => (n.Meta, (Func<object>)(() => KubeObjectWriter.Write(n))))),
        new("", "v1", "namespaces", "Namespace", false, c => c.Namespaces.Select(n => (n.Meta, (Func<object>)(() => KubeObjectWriter.Write(n))))),
        new("", "v1", "pods", "Pod", true, c => c.Pods.Select(p => (p.Meta, (Func<object>)(() => KubeObjectWriter.Write(p))))),
        new("", "v1", "services", "Service", true, c => c.Services.Select(s => (s.Meta, (Func<object>)(() => KubeObjectWriter.Write(s))))),
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, c => c.EndpointSlices.Select(s => (s.Meta, (Func<object>)(() => KubeObjectWriter.Write(s))))),
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, c => c.NetworkPolicies.Select(p => (p.Meta, (Func<object>)(() => KubeObjectWriter.Write(p))))),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true, c => c.Ingresses.Select(i => (i.Meta, (Func<object>)(() => KubeObjectWriter.Write(i))))),
        new("apps", "v1", "deployments", "Deployment", true, c => Workloads(c, c.Workloads.Where(w => w.Kind == WorkloadKind.Deployment))),
        new("apps", "v1", "replicasets", "ReplicaSet", true, c => Workloads(c, WorkloadStatus.ReplicaSets(c))),
        new("apps", "v1", "statefulsets", "StatefulSet", true, c => Workloads(c, c.Workloads.Where(w => w.Kind == WorkloadKind.StatefulSet))),
        new("apps", "v1", "daemonsets", "DaemonSet", true, c => Workloads(c, c.Workloads.Where(w => w.Kind == WorkloadKind.DaemonSet))),
    ];

    /// <summary>Workloads with the counts their controllers would report (<see cref="WorkloadStatus"/>), counted only for those written.</summary>
    private static IEnumerable<(ObjectMeta Meta, Func<object> Write)> Workloads(ClusterState cluster, IEnumerable<Workload> workloads) =>
        workloads.Select(w => (w.Meta, (Func<object>)(() => KubeObjectWriter.Write(w, WorkloadStatus.Of(w, cluster)))));

    public static ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
}
