using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Maille.Engine.Services;
using Maille.Model;

namespace Maille.Engine.ServiceProxy;

/// <summary>
/// Computes a node's <see cref="NodeServicePlan"/> from the planned cluster, as kube-proxy decides it: which Services
/// get rules (not headless, not ExternalName, not one left to another proxy by the
/// <c>service.kubernetes.io/service-proxy-name</c> label), which addresses each port captures on this node, and which
/// endpoints each kind of traffic uses. Pure: the same cluster and node give an equal plan.
/// </summary>
public static class ServiceProxyPlanner
{
    /// <summary>Services carrying this label are left to the proxy it names, as kube-proxy does.</summary>
    public const string ServiceProxyNameLabel = "service.kubernetes.io/service-proxy-name";

    public static NodeServicePlan Plan(ClusterState cluster, string nodeName) => Plan(cluster, nodeName, null);

    /// <summary>
    /// <see cref="Plan(ClusterState, string)"/>, reusing <paramref name="previous"/> (a plan of this node and the cluster
    /// it came from) where it must be the same: only the Services that are new, changed, or whose slices are new
    /// instances are planned again (a readiness flip, <see cref="EndpointSlices.ReadinessUpdate"/>; a lab's plan, which
    /// keeps unchanged Services' slices, <see cref="EndpointSlices.EndpointSliceCache"/>), so a change costs the
    /// Services it touches rather than all of them. The result equals a full plan.
    /// </summary>
    public static NodeServicePlan Plan(ClusterState cluster, string nodeName, (ClusterState Cluster, NodeServicePlan Plan)? previous)
    {
        if (!cluster.NodesByName.TryGetValue(nodeName, out var node))
        {
            throw new ArgumentException($"the cluster has no node {nodeName}", nameof(nodeName));
        }

        var nodeAddress = node.InternalIP is { AddressFamily: AddressFamily.InterNetwork } address ? address : null;
        if (previous is { } before && before.Plan.NodeName == nodeName
            && (ReferenceEquals(before.Cluster.Nodes, cluster.Nodes) || before.Cluster.Nodes.SequenceEqual(cluster.Nodes))
            && before.Cluster.Config.ClusterCidr == cluster.Config.ClusterCidr && before.Cluster.Config.ServiceCidr == cluster.Config.ServiceCidr)
        {
            return Replan(cluster, before.Cluster, before.Plan, nodeName, nodeAddress);
        }

        var ports = new List<ServicePortPlan>();
        foreach (var service in cluster.Services)
        {
            if (!GetsRules(service))
            {
                continue;
            }

            var slices = cluster.SlicesFor(service);
            foreach (var port in service.Ports)
            {
                ports.Add(PlanPort(service, port, slices, nodeName, nodeAddress));
            }
        }

        // Sorted on texts made once (a comparison that formats both ids costs more than the planning of 10,000 ports).
        var keys = ports.ConvertAll(p => p.Id.ToString());
        var order = Enumerable.Range(0, ports.Count).ToArray();
        Array.Sort(order, (a, b) => string.CompareOrdinal(keys[a], keys[b]));
        ports = [.. order.Select(i => ports[i])];
        return new NodeServicePlan
        {
            NodeName = nodeName,
            NodeAddress = nodeAddress,
            ClusterCidr = cluster.Config.ClusterCidr,
            LocalPodCidr = node.PodCidr,
            ServiceCidr = cluster.Config.ServiceCidr,
            Ports = new(ports),
        };
    }

    /// <summary>
    /// The previous plan with the ports of Services that changed (the Service itself, or its slices as instances)
    /// planned again in place, those of Services that are gone dropped, and those of new Services inserted in order.
    /// </summary>
    private static NodeServicePlan Replan(ClusterState cluster, ClusterState before, NodeServicePlan plan, string nodeName, IPAddress? nodeAddress)
    {
        var replanned = new Dictionary<ServicePortId, ServicePortPlan>();
        var kept = new HashSet<(string Namespace, string Name)>();
        foreach (var service in cluster.Services)
        {
            var slices = cluster.SlicesFor(service);
            if (before.ServicesByName.TryGetValue(service.QualifiedName, out var old) && old.Equals(service) && SameInstances(slices, before.SlicesFor(old)))
            {
                kept.Add((service.Namespace, service.Name));
                continue;
            }

            if (!GetsRules(service))
            {
                continue;
            }

            foreach (var port in service.Ports)
            {
                var planned = PlanPort(service, port, slices, nodeName, nodeAddress);
                replanned[planned.Id] = planned;
            }
        }

        var ports = new List<ServicePortPlan>(plan.Ports.Count + replanned.Count);
        foreach (var port in plan.Ports)
        {
            if (replanned.Remove(port.Id, out var again))
            {
                ports.Add(again);
            }
            else if (kept.Contains((port.Id.Namespace, port.Id.Service)))
            {
                ports.Add(port);
            }
        }

        if (replanned.Count == 0 && ports.Count == plan.Ports.Count && ports.Zip(plan.Ports).All(p => ReferenceEquals(p.First, p.Second)))
        {
            return plan;
        }

        // New ports go where a full plan's sort puts them: few, so each is placed by a binary search.
        foreach (var (key, port) in replanned.Values.Select(p => (p.Id.ToString(), p)).OrderBy(p => p.Item1, StringComparer.Ordinal))
        {
            int low = 0, high = ports.Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (string.CompareOrdinal(ports[middle].Id.ToString(), key) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            ports.Insert(low, port);
        }

        return plan with { Ports = new(ports) };
    }

    /// <summary>Whether two slice lists hold the very same slices (a rebuilt slice is a new instance, even when equal).</summary>
    private static bool SameInstances(IReadOnlyList<EndpointSlice> a, IReadOnlyList<EndpointSlice> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Headless and ExternalName Services are DNS only; a Service without an IPv4 ClusterIP has nothing to capture.</summary>
    public static bool GetsRules(Service service) =>
        service.NeedsClusterIP
        && service.ClusterIP is { AddressFamily: AddressFamily.InterNetwork }
        && service.Meta.Labels.Get(ServiceProxyNameLabel) is null;

    /// <summary>The id of a Service's port in a node's plan.</summary>
    public static ServicePortId PortId(Service service, ServicePort port) =>
        new(service.Namespace, service.Name, port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture), port.Protocol);

    /// <summary>
    /// One port's plan as the node <paramref name="nodeName"/> would have it. A node's plan is made of these; <c>trace</c>
    /// calls it alone only for what no node's plan holds (a Service that <see cref="GetsRules"/> refuses, traffic
    /// whose entry node is unknown: then <paramref name="nodeName"/> is null and no endpoint is local).
    /// </summary>
    public static ServicePortPlan PlanPort(Service service, ServicePort port, IReadOnlyList<EndpointSlice> slices, string? nodeName, IPAddress? nodeAddress)
    {
        var endpoints = EndpointCategorization.Of(ServicePortEndpoints.Of(service, port, slices), nodeName);
        var loadBalancerIPs = service.Type == ServiceType.LoadBalancer ? Addresses(service.LoadBalancerIngress) : [];
        return new ServicePortPlan
        {
            Id = PortId(service, port),
            ClusterIP = service.ClusterIP!,
            Port = port.Port,
            NodePort = service.Type is ServiceType.NodePort or ServiceType.LoadBalancer ? port.NodePort : null,
            LoadBalancerIPs = new(loadBalancerIPs),
            ExternalIPs = new(Addresses(service.ExternalIPs)),
            SourceRanges = new(SourceRanges(service, loadBalancerIPs, nodeAddress)),
            InternalTrafficLocal = service.InternalTrafficPolicy == TrafficPolicy.Local,
            ExternalTrafficLocal = service.ExternalTrafficPolicy == TrafficPolicy.Local,
            AffinityTimeoutSeconds = service.SessionAffinityClientIP ? service.SessionAffinityTimeoutSeconds : null,
            ClusterEndpoints = Proxied(endpoints.Cluster, nodeName),
            LocalEndpoints = Proxied(endpoints.Local, nodeName),
        };
    }

    private static EquatableArray<ProxyEndpoint> Proxied(EquatableArray<ServiceEndpoint> endpoints, string? nodeName) =>
        new(endpoints.Select(e => new ProxyEndpoint(e.Address, e.Port, e.NodeName, nodeName is not null && e.NodeName == nodeName, !e.Ready, e.Pod)));

    private static List<IPAddress> Addresses(IEnumerable<string> texts) =>
        [.. texts.Select(t => IPAddress.TryParse(t, out var a) && a.AddressFamily == AddressFamily.InterNetwork ? a : null)
            .OfType<IPAddress>().Distinct().OrderBy(IpMath.ToUInt32)];

    private static List<IPNetwork> SourceRanges(Service service, List<IPAddress> loadBalancerIPs, IPAddress? nodeAddress)
    {
        var ranges = service.LoadBalancerSourceRanges
            .Select(t => IPNetwork.TryParse(t.Trim(), out var n) && n.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? IpMath.Network(n.BaseAddress, n.PrefixLength) : (IPNetwork?)null)
            .OfType<IPNetwork>()
            .ToList();
        if (ranges.Count > 0 && nodeAddress is not null && ranges.Any(r => r.Contains(nodeAddress)))
        {
            ranges.AddRange(loadBalancerIPs.Select(ip => new IPNetwork(ip, 32)));
        }

        return [.. ranges.Distinct().OrderBy(r => IpMath.ToUInt32(r.BaseAddress)).ThenBy(r => r.PrefixLength)];
    }
}
