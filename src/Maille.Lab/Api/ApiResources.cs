using Maille.Engine;
using Maille.Engine.Gateways;
using Maille.Engine.LoadBalancing;
using Maille.Engine.Workloads;
using Maille.Kube;
using Maille.Lab.Gateways;
using Maille.Model;

namespace Maille.Lab.Api;

/// <summary>The kinds a lab serves, as the Kubernetes API names them, with Kubernetes objects from the planned cluster.</summary>
internal static class ApiResources
{
    public static IReadOnlyList<ApiResource> All { get; } =
    [
        new("", "v1", "nodes", "Node", false, (c, _) => c.Nodes.Select(n => new ApiObject(n.Meta, n, () => KubeObjectWriter.Write(n))), (t, f, wide) => t.Nodes(t.Cluster.Nodes.Where(n => f(n.Meta)), wide)),
        new("", "v1", "namespaces", "Namespace", false, (c, _) => c.Namespaces.Select(n => new ApiObject(n.Meta, n, () => KubeObjectWriter.Write(n))), (t, f, _) => t.Namespaces(t.Cluster.Namespaces.Where(n => f(n.Meta)))),
        new("", "v1", "pods", "Pod", true, (c, _) => c.Pods.Select(p => new ApiObject(p.Meta, p, () => KubeObjectWriter.Write(p))), (t, f, wide) => t.Pods(t.Cluster.Pods.Where(p => f(p.Meta)), wide, allNamespaces: false)),
        new("", "v1", "services", "Service", true, (c, _) => c.Services.Select(s => new ApiObject(s.Meta, s, () => KubeObjectWriter.Write(s))), (t, f, wide) => t.Services(t.Cluster.Services.Where(s => f(s.Meta)), wide, allNamespaces: false)) { Source = c => c.Services },
        new("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true, (c, _) => c.EndpointSlices.Select(s => new ApiObject(s.Meta, s, () => KubeObjectWriter.Write(s))), (t, f, _) => t.EndpointSlices(t.Cluster.EndpointSlices.Where(s => f(s.Meta)), allNamespaces: false)) { Source = c => c.EndpointSlices },
        new("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, (c, _) => c.NetworkPolicies.Select(p => new ApiObject(p.Meta, p, () => KubeObjectWriter.Write(p))), (t, f, _) => t.NetworkPolicies(t.Cluster.NetworkPolicies.Where(p => f(p.Meta)), allNamespaces: false)),
        new("networking.k8s.io", "v1", "ingresses", "Ingress", true, (c, _) => c.Ingresses.Select(i => new ApiObject(i.Meta, i, () => KubeObjectWriter.Write(i))), (t, f, _) => t.Ingresses(t.Cluster.Ingresses.Where(i => f(i.Meta)), allNamespaces: false)),
        new("", "v1", "secrets", "Secret", true, (c, _) => c.Secrets.Select(s => new ApiObject(s.Meta, s, () => KubeObjectWriter.Write(s))), (t, f, _) => t.Secrets(t.Cluster.Secrets.Where(s => f(s.Meta)), allNamespaces: false)),
        new("networking.k8s.io", "v1", "ingressclasses", "IngressClass", false, (c, _) => c.IngressClasses.Select(i => new ApiObject(i.Meta, i, () => KubeObjectWriter.Write(i))), (t, f, _) => t.IngressClasses(t.Cluster.IngressClasses.Where(i => f(i.Meta)))),
        new(IPAddressPool.Group, "v1beta1", "ipaddresspools", IPAddressPool.KindName, true, (c, _) => Pools(c).Select(p => Pool(c, p)), (t, f, _) => t.IPAddressPools(Pools(t.Cluster).Where(p => f(p.Meta)), allNamespaces: false)),
        new(IPAddressPool.Group, "v1beta1", "l2advertisements", L2Advertisement.KindName, true, (c, _) => Advertisements(c).Select(a => new ApiObject(a.Meta, a, () => KubeObjectWriter.Write(a))), (t, f, wide) => t.L2Advertisements(Advertisements(t.Cluster).Where(a => f(a.Meta)), wide, allNamespaces: false)),
        new(GatewayApi.Group, "v1", "gatewayclasses", GatewayApi.GatewayClassKind, false, (c, _) => c.GatewayClasses.Select(g => Gateway(c, g.Meta, g, p => GatewayObjectWriter.Write(g, p))), (t, f, wide) => t.GatewayClasses(t.Cluster.GatewayClasses.Where(g => f(g.Meta)), GatewayPlans.Of(t.Cluster), wide)),
        new(GatewayApi.Group, "v1", "gateways", GatewayApi.GatewayKind, true, (c, _) => c.Gateways.Select(g => Gateway(c, g.Meta, g, p => GatewayObjectWriter.Write(g, p))), (t, f, _) => t.Gateways(t.Cluster.Gateways.Where(g => f(g.Meta)), GatewayPlans.Of(t.Cluster), allNamespaces: false)),
        new(GatewayApi.Group, "v1", "httproutes", GatewayApi.HttpRouteKind, true, (c, _) => c.HttpRoutes.Select(r => Gateway(c, r.Meta, r, p => GatewayObjectWriter.Write(r, p))), (t, f, _) => t.Routes(t.Cluster.HttpRoutes.Where(r => f(r.Meta)).Select(r => (r.Meta, r.Hostnames)), allNamespaces: false)),
        new(GatewayApi.Group, "v1", "grpcroutes", GatewayApi.GrpcRouteKind, true, (c, _) => c.GrpcRoutes.Select(r => Gateway(c, r.Meta, r, p => GatewayObjectWriter.Write(r, p))), (t, f, _) => t.Routes(t.Cluster.GrpcRoutes.Where(r => f(r.Meta)).Select(r => (r.Meta, r.Hostnames)), allNamespaces: false)),
        new(GatewayApi.Group, "v1beta1", "referencegrants", GatewayApi.ReferenceGrantKind, true, (c, _) => c.ReferenceGrants.Select(g => new ApiObject(g.Meta, g, () => GatewayObjectWriter.Write(g))), (t, f, _) => t.ReferenceGrants(t.Cluster.ReferenceGrants.Where(g => f(g.Meta)), allNamespaces: false)),
        new(PolicyApi.Group, "v1alpha2", "clusternetworkpolicies", PolicyApi.ClusterNetworkPolicyKind, false, (c, _) => ClusterPolicies(c, PolicyApi.ClusterNetworkPolicyKind).Select(p => ClusterNetworkPolicy(c, p)), (t, f, _) => t.ClusterNetworkPolicies(ClusterPolicies(t.Cluster, PolicyApi.ClusterNetworkPolicyKind).Where(p => f(p.Meta)))),
        new(PolicyApi.Group, "v1alpha1", "adminnetworkpolicies", PolicyApi.AdminNetworkPolicyKind, false, (c, _) => ClusterPolicies(c, PolicyApi.AdminNetworkPolicyKind).Select(p => ClusterNetworkPolicy(c, p)), (t, f, _) => t.AdminNetworkPolicies(ClusterPolicies(t.Cluster, PolicyApi.AdminNetworkPolicyKind).Where(p => f(p.Meta)))),
        new(PolicyApi.Group, "v1alpha1", "baselineadminnetworkpolicies", PolicyApi.BaselineAdminNetworkPolicyKind, false, (c, _) => ClusterPolicies(c, PolicyApi.BaselineAdminNetworkPolicyKind).Select(p => ClusterNetworkPolicy(c, p)), (t, f, _) => t.BaselineAdminNetworkPolicies(ClusterPolicies(t.Cluster, PolicyApi.BaselineAdminNetworkPolicyKind).Where(p => f(p.Meta)))),
        new("apps", "v1", "deployments", "Deployment", true, (c, a) => Workloads(c, a, Of(c, WorkloadKind.Deployment)), (t, f, wide) => t.Deployments(Of(t.Cluster, WorkloadKind.Deployment).Where(w => f(w.Meta)), wide, allNamespaces: false)),
        new("apps", "v1", "replicasets", "ReplicaSet", true, (c, a) => Workloads(c, a, WorkloadStatus.ReplicaSets(c)), (t, f, wide) => t.ReplicaSets(WorkloadStatus.ReplicaSets(t.Cluster).Where(w => f(w.Meta)), wide, allNamespaces: false)),
        new("apps", "v1", "statefulsets", "StatefulSet", true, (c, a) => Workloads(c, a, Of(c, WorkloadKind.StatefulSet)), (t, f, wide) => t.StatefulSets(Of(t.Cluster, WorkloadKind.StatefulSet).Where(w => f(w.Meta)), wide, allNamespaces: false)),
        new("apps", "v1", "controllerrevisions", "ControllerRevision", true, (c, _) => c.ControllerRevisions.Select(r => new ApiObject(r.Meta, r, () => KubeObjectWriter.Write(r))), (t, f, _) => t.ControllerRevisions(t.Cluster.ControllerRevisions.Where(r => f(r.Meta)), allNamespaces: false)),
        new("apps", "v1", "daemonsets", "DaemonSet", true, (c, a) => Workloads(c, a, Of(c, WorkloadKind.DaemonSet)), (t, f, wide) => t.DaemonSets(Of(t.Cluster, WorkloadKind.DaemonSet).Where(w => f(w.Meta)), wide, allNamespaces: false)),
        new("coordination.k8s.io", "v1", "leases", "Lease", true, (c, _) => NodeLease.Of(c), (t, f, _) => t.Leases(t.Cluster.Nodes.Where(n => f(NodeLease.MetaOf(n))))),
    ];

    /// <summary>
    /// core/v1 events, which are not in the plan: a view lists the store's (<see cref="ApiView.Objects"/>), and their
    /// table is written from each event (<see cref="EventObjects.Cells"/>).
    /// </summary>
    public static ApiResource Events { get; } = new("", "v1", "events", "Event", true, (_, _) => [], (_, _, _) => throw new InvalidOperationException("events are tabled from the events themselves"));

    /// <summary>The same events in <c>events.k8s.io/v1</c>.</summary>
    public static ApiResource EventsV1 { get; } = new("events.k8s.io", "v1", "events", "Event", true, (_, _) => [], (_, _, _) => throw new InvalidOperationException("events are tabled from the events themselves"));

    public static bool IsEvents(ApiResource resource) => resource == Events || resource == EventsV1;

    /// <summary>The nodes' leases (<see cref="NodeLease"/>), which the store renews between published changes.</summary>
    public static ApiResource Leases { get; } = All.Single(r => r.Plural == "leases");

    /// <summary>The IPAddressPools written to the lab; a pool made from the cluster configuration is no object.</summary>
    private static IEnumerable<IPAddressPool> Pools(ClusterState cluster) => cluster.LoadBalancing.Pools.Where(p => !p.FromClusterConfig);

    /// <summary>A pool with the status its controller keeps (<see cref="PoolUsage"/>): an allocation that changes its counts is a change of the pool.</summary>
    private static ApiObject Pool(ClusterState cluster, IPAddressPool pool)
    {
        var usage = cluster.LoadBalancing.UsageOf(pool);
        return new ApiObject(pool.Meta, (pool, usage), () => KubeObjectWriter.Write(pool, usage));
    }

    /// <summary>
    /// The policies written as <paramref name="kind"/>: a v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy is
    /// read onto the same model as a v1alpha2 ClusterNetworkPolicy, and served as the kind and version it was written in
    /// (the API server keeps each CRD's objects apart; network-policy-api has no conversion between them).
    /// </summary>
    private static IEnumerable<ClusterNetworkPolicy> ClusterPolicies(ClusterState cluster, string kind) =>
        cluster.ClusterNetworkPolicies.Where(p => p.SourceKind == kind);

    /// <summary>
    /// A ClusterNetworkPolicy with its status: a condition per node (<see cref="ClusterNetworkPolicyObjectWriter.Conditions"/>),
    /// so the model pairs the policy with the lab's node names (a node added or removed changes the object).
    /// </summary>
    private static ApiObject ClusterNetworkPolicy(ClusterState cluster, ClusterNetworkPolicy policy)
    {
        var nodes = string.Join(",", cluster.Nodes.Select(n => n.Name));
        return new(policy.Meta, (policy, nodes), () => ClusterNetworkPolicyObjectWriter.Write(policy, [.. cluster.Nodes.Select(n => n.Name)]));
    }

    /// <summary>The L2Advertisements written to the lab; the one Maille makes when there is none is no object.</summary>
    private static IEnumerable<L2Advertisement> Advertisements(ClusterState cluster) => cluster.LoadBalancing.Advertisements.Where(a => !a.Implicit);

    /// <summary>
    /// A Gateway API object with the status Maille's controller computes for this state (<see cref="GatewayPlans"/>):
    /// a change of another object that changes its status (a Service getting its address, a route attaching) is a
    /// change of this one: the model pairs the object with the plan (another state's plan is never equal), so two states
    /// are compared by what is written.
    /// </summary>
    private static ApiObject Gateway(ClusterState cluster, ObjectMeta meta, object model, Func<GatewayPlan, object> write)
    {
        var plan = GatewayPlans.Of(cluster);
        return new(meta, (model, plan), () => write(plan));
    }

    private static IEnumerable<Workload> Of(ClusterState cluster, WorkloadKind kind) => cluster.Workloads.Where(w => w.Kind == kind);

    /// <summary>
    /// Workloads with the counts their controllers would report (<see cref="WorkloadStatus"/>), part of what a change of
    /// the object is: a pod that has now been Ready for <c>minReadySeconds</c> (<paramref name="availability"/>) changes them.
    /// </summary>
    private static IEnumerable<ApiObject> Workloads(ClusterState cluster, PodAvailability? availability, IEnumerable<Workload> workloads) =>
        workloads.Select(w =>
        {
            var status = WorkloadStatus.Of(w, cluster, availability);
            return new ApiObject(w.Meta, (w, status), () => KubeObjectWriter.Write(w, status));
        });

    public static ApiResource? Find(string group, string version, string plural) =>
        All.Append(Events).Append(EventsV1).FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);
}
