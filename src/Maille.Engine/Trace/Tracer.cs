using System.Globalization;
using System.Net;
using Maille.Engine.LoadBalancing;
using Maille.Engine.NetworkPolicies;
using Maille.Engine.ServiceProxy;
using Maille.Model;

namespace Maille.Engine.Trace;

/// <summary>
/// Follows a connection the way the data plane will carry it: name resolution, the Service (ClusterIP, NodePort,
/// LoadBalancer or external IP, with the traffic policies), each candidate endpoint, the node hop, egress policy on
/// the source, ingress policy on the destination, and delivery (is the port declared). Pure: it reads the planned
/// cluster and asks <see cref="NetworkPolicyEvaluator"/> for policy.
/// </summary>
public sealed partial class Tracer(ClusterState cluster, NetworkPolicyEvaluator policy)
{
    /// <summary>The Service plans of the nodes traced through so far, each made once.</summary>
    private readonly Dictionary<string, NodeServicePlan> _nodePlans = new(StringComparer.Ordinal);

    public static Tracer For(ClusterState cluster) => new(cluster, NetworkPolicyEvaluator.For(cluster));

    /// <summary>The default address of the <c>external</c> client: the second host of the node network.</summary>
    public static IPAddress DefaultExternalAddress(ClusterConfig config) => IpMath.Offset(config.NodeNetwork, 2);

    public TraceResult Trace(TraceSource source, TraceTarget target)
    {
        var hops = new List<TraceHop>();
        if (target.Http is { } request)
        {
            return TraceHttp(source, target, request, hops);
        }

        if (target.PodName is not null)
        {
            if (!cluster.PodsByName.TryGetValue($"{target.Namespace}/{target.PodName}", out var pod))
            {
                return TraceResult.NotReachable($"no pod {target.Namespace}/{target.PodName}", hops);
            }

            if (pod.Status.PodIP is null)
            {
                return TraceResult.NotReachable($"pod {pod.QualifiedName} has no IP (it is {pod.Status.Phase ?? "Pending"})", hops);
            }

            return Deliver(source, hops, [Candidate.ForPod(pod, target.Port)], target.Protocol, Masquerade.None);
        }

        if (target.ServiceName is not null)
        {
            return TraceName(source, target, hops);
        }

        return TraceAddress(source, target, target.Address!, hops);
    }

    private TraceResult TraceName(TraceSource source, TraceTarget target, List<TraceHop> hops)
    {
        var fqdn = $"{target.ServiceName}.{target.Namespace}.svc.{cluster.Config.DnsDomain}";
        var dnsNode = source.Pod?.Spec.NodeName;

        // A short name is what the pod's resolver asks first: the name under its namespace's search domain (ndots 5).
        var asked = target.FromSearchPath ? $"{target.ServiceName} (searched as {fqdn}, the first domain of the pod's search path)" : fqdn;
        if (!cluster.ServicesByName.TryGetValue($"{target.Namespace}/{target.ServiceName}", out var service))
        {
            hops.Add(new TraceHop("dns", dnsNode, "NXDOMAIN", $"{asked}: no Service {target.ServiceName} in namespace {target.Namespace}"));
            return TraceResult.NotReachable($"name {fqdn} does not exist (no Service {target.Namespace}/{target.ServiceName})", hops);
        }

        if (service.Type == ServiceType.ExternalName)
        {
            hops.Add(new TraceHop("dns", dnsNode, $"CNAME {service.ExternalName}", $"{asked} is an ExternalName Service: cluster DNS answers with a CNAME to {service.ExternalName}, a name outside the cluster"));
            return TraceResult.NotReachable($"{service.QualifiedName} is an ExternalName Service (CNAME {service.ExternalName}): the connection leaves the cluster, where Maille cannot follow it", hops);
        }

        if (service.Headless)
        {
            var ready = HeadlessEndpointsOf(service).Where(e => e.Ready).Select(e => e with { Port = target.Port }).DistinctBy(e => e.Address).ToList();
            hops.Add(new TraceHop("dns", dnsNode, ready.Count == 0 ? "no addresses" : string.Join(", ", ready.Select(e => e.Address)),
                $"{asked} is a headless Service: cluster DNS answers with the addresses of its ready endpoints; the client connects to one of them directly on port {target.Port}"));
            if (ready.Count == 0)
            {
                return TraceResult.NotReachable($"headless Service {service.QualifiedName} has no ready endpoint, so its name has no address", hops);
            }

            return Deliver(source, hops, ready, target.Protocol, Masquerade.None);
        }

        hops.Add(new TraceHop("dns", dnsNode, service.ClusterIP?.ToString() ?? "no address", $"{asked} resolves to the ClusterIP of {service.QualifiedName}"));
        return TraceServicePort(source, target, service, ServiceEntry.ClusterIP, null, hops);
    }

    private TraceResult TraceAddress(TraceSource source, TraceTarget target, IPAddress address, List<TraceHop> hops)
    {
        var pod = cluster.Pods.FirstOrDefault(p => !p.Spec.HostNetwork && address.Equals(p.Status.PodIP));
        if (pod is not null)
        {
            return Deliver(source, hops, [Candidate.ForPod(pod, target.Port)], target.Protocol, Masquerade.None);
        }

        var byClusterIP = cluster.Services.FirstOrDefault(s => address.Equals(s.ClusterIP));
        if (byClusterIP is not null)
        {
            return TraceServicePort(source, target, byClusterIP, ServiceEntry.ClusterIP, null, hops);
        }

        var node = cluster.Nodes.FirstOrDefault(n => address.Equals(n.InternalIP));
        if (node is not null)
        {
            var byNodePort = cluster.Services.FirstOrDefault(s => s.Ports.Any(p => p.NodePort == target.Port && p.Protocol == target.Protocol));
            if (byNodePort is not null)
            {
                return TraceServicePort(source, target, byNodePort, ServiceEntry.NodePort, node, hops);
            }

            var hostPod = cluster.Pods.FirstOrDefault(p => p.Spec.HostNetwork && p.Spec.NodeName == node.Name && p.Spec.AllPorts.Any(c => c.Port == target.Port && c.Protocol == target.Protocol));
            if (hostPod is not null)
            {
                return Deliver(source, hops, [Candidate.ForPod(hostPod, target.Port)], target.Protocol, Masquerade.None);
            }

            return TraceResult.NotReachable($"nothing listens on node {node.Name} ({address}) port {target.PortText}: no Service has that NodePort and no hostNetwork pod there declares it", hops);
        }

        var byExternal = cluster.Services.FirstOrDefault(s => s.Type != ServiceType.ExternalName
            && (s.LoadBalancerIngress.Contains(address.ToString()) || s.ExternalIPs.Contains(address.ToString())));
        if (byExternal is not null)
        {
            // From outside, a LoadBalancer address of Maille's pools reaches the node that announces it, or nobody.
            var announcement = source.IsExternal && byExternal.LoadBalancerIngress.Contains(address.ToString())
                ? L2AnnouncerElection.Elect(cluster).FirstOrDefault(a => a.Address.Equals(address) && a.Pool is not null)
                : null;
            if (announcement is { Node: null })
            {
                return TraceResult.NotReachable($"LoadBalancer IP {address} is not announced on the node network ({announcement.Reason}): nothing answers ARP for it", hops);
            }

            var receiving = announcement?.Node is { } announcer ? cluster.NodesByName[announcer] : null;
            return TraceServicePort(source, target, byExternal, ServiceEntry.External, receiving, hops);
        }

        if (cluster.Config.ServiceCidr.Contains(address))
        {
            return TraceResult.NotReachable($"{address} is inside the Service CIDR {cluster.Config.ServiceCidr} but no Service has it: the packet is dropped", hops);
        }

        if (cluster.Nodes.Any(n => n.PodCidr is { } cidr && cidr.Contains(address)))
        {
            return TraceResult.NotReachable($"no pod has the address {address}", hops);
        }

        return Deliver(source, hops, [new Candidate(address.ToString(), target.Port, null, null, true, true, false)], target.Protocol, Masquerade.None);
    }

    private TraceResult TraceServicePort(TraceSource source, TraceTarget target, Service service, ServiceEntry entry, Node? receivingNode, List<TraceHop> hops)
    {
        var port = entry == ServiceEntry.NodePort
            ? service.Ports.FirstOrDefault(p => p.NodePort == target.Port && p.Protocol == target.Protocol)
            : service.Ports.FirstOrDefault(p => p.Port == target.Port && p.Protocol == target.Protocol);
        var entryText = entry switch
        {
            ServiceEntry.ClusterIP => $"ClusterIP {service.ClusterIP}:{target.PortText}",
            ServiceEntry.NodePort => $"NodePort {receivingNode!.InternalIP}:{target.PortText} on {receivingNode.Name}",
            _ => $"{(service.LoadBalancerIngress.Contains(target.Address?.ToString() ?? "") ? "LoadBalancer IP" : "external IP")} {target.Address}:{target.PortText}",
        };
        if (port is null)
        {
            hops.Add(new TraceHop("service", receivingNode?.Name ?? source.Pod?.Spec.NodeName, "rejected", $"{entryText}: {service.QualifiedName} has no such port (it serves {string.Join(", ", service.Ports)})"));
            return TraceResult.NotReachable($"Service {service.QualifiedName} has no port {target.PortText}: the connection is rejected", hops);
        }

        if (source.IsExternal && entry == ServiceEntry.ClusterIP)
        {
            hops.Add(new TraceHop("service", null, "unreachable", $"{entryText}: a ClusterIP is reachable only from pods and nodes"));
            return TraceResult.NotReachable($"ClusterIP {service.ClusterIP} of {service.QualifiedName} is reachable only from inside the cluster; from outside use a NodePort, LoadBalancer IP or external IP", hops);
        }

        var internalTraffic = entry == ServiceEntry.ClusterIP;

        // The node whose rules decide: the client's for a ClusterIP and for an external address a pod reaches (its own
        // node captures it), the receiving node for a NodePort and for traffic from outside (unknown for an address
        // outside Maille's pools).
        var entryNode = internalTraffic || (entry == ServiceEntry.External && !source.IsExternal) ? SourceNode(source) : receivingNode?.Name;

        // The entry node's own pods reaching an external address of a Service, and a node reaching its own, skip the
        // external traffic policy (kube-proxy's "short-circuit pod traffic", detecting local pods by the node's pod
        // CIDR): a pod of another node reaching this node's NodePort arrives as any client outside does.
        var shortCircuit = !internalTraffic && source.Pod is { } client && client.Spec.NodeName == entryNode;
        var plan = PortPlan(service, port, entryNode);
        if (entry == ServiceEntry.External && target.Address is { } address && plan.LoadBalancerIPs.Contains(address)
            && !plan.SourceRanges.IsEmpty && !plan.SourceRanges.Any(r => r.Contains(source.Address)))
        {
            // Checked before any endpoint is chosen, for pods too, as kube-proxy's firewall check.
            hops.Add(new TraceHop("service", receivingNode?.Name ?? SourceNode(source), "dropped",
                $"{entryText}: {source.Address} is outside loadBalancerSourceRanges ({string.Join(", ", plan.SourceRanges)})", $"{service.QualifiedName} {port}"));
            return TraceResult.NotReachable($"loadBalancerSourceRanges of {service.QualifiedName} do not include {source.Address}: the packet is dropped", hops);
        }

        var local = internalTraffic ? plan.InternalTrafficLocal : !shortCircuit && plan.ExternalTrafficLocal;
        var policyName = internalTraffic ? "internalTrafficPolicy" : "externalTrafficPolicy";
        var notes = new List<string> { $"{entryText} → {service.QualifiedName} port {port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture)} → targetPort {port.TargetPort}" };
        notes.Add(shortCircuit
            ? "a pod reaching an external address of a Service is short-circuited inside the cluster (Cluster policy)"
            : $"{policyName}: {(local ? "Local" : "Cluster")}");
        if (service.SessionAffinityClientIP)
        {
            notes.Add($"sessionAffinity: ClientIP for {service.SessionAffinityTimeoutSeconds}s (one client IP keeps its endpoint)");
        }

        // The plan's lists are EndpointCategorization's; with a Local policy and no known entry node, every node with
        // a local endpoint may receive the traffic, so the candidates are all the usable endpoints.
        var chosen = local && entryNode is not null ? plan.LocalEndpoints : plan.ClusterEndpoints;
        if (!chosen.IsEmpty && chosen.All(e => e.Terminating))
        {
            notes.Add("no ready endpoint: falling back to serving, terminating endpoints");
        }

        if (local && entryNode is not null)
        {
            notes.Add($"only endpoints on {entryNode} are used");
        }
        else if (local)
        {
            notes.Add("only nodes with a local ready endpoint accept the traffic; the client's address is kept");
        }

        // Whoever is not short-circuited (outside, or a pod or node of another node) is masqueraded by the Cluster
        // policy: the endpoint, and its NetworkPolicy, see the receiving node's address.
        var masquerade = Masquerade.None;
        if (!internalTraffic && !shortCircuit && !local)
        {
            masquerade = receivingNode is null ? Masquerade.ReceivingNodeUnknown : Masquerade.ToReceivingNode;
            notes.Add("the client's address is masqueraded to the receiving node's address");
        }

        var rejected = plan.WhenEmpty == EmptyServiceVerdict.Reject;
        var result = chosen.IsEmpty ? (rejected ? "rejected" : "dropped") : $"{chosen.Count} endpoint{(chosen.Count == 1 ? "" : "s")}";
        hops.Add(new TraceHop("service", receivingNode?.Name ?? SourceNode(source), result, string.Join("; ", notes),
            $"{service.QualifiedName} {port}"));
        if (chosen.IsEmpty)
        {
            return TraceResult.NotReachable(rejected
                ? $"Service {service.QualifiedName} has no ready endpoint for port {port.Name ?? port.Port.ToString(CultureInfo.InvariantCulture)}: the connection is rejected"
                : $"{policyName}: Local and no ready endpoint on {entryNode ?? "the receiving node"}: the packet is dropped", hops);
        }

        // A pod of another node sent its packet to this node's address: its own node did not translate it, so its
        // egress policy judges that address and port; the endpoint's ingress judges it as masqueraded (see Deliver).
        (IPAddress, int)? sentTo = masquerade == Masquerade.ToReceivingNode && source.Pod is not null && receivingNode?.InternalIP is { } received
            ? (target.Address ?? received, target.Port)
            : null;
        return Deliver(source, hops, [.. chosen.Select(Candidate.ForEndpoint)], target.Protocol, masquerade, receivingNode, sentTo);
    }

    /// <summary>
    /// The Service port as the entry node's service proxy programs it: that node's <see cref="NodeServicePlan"/>, so
    /// the trace explains the rules rather than deciding again. A port no node's plan holds (a Service left to another
    /// proxy or without an IPv4 ClusterIP, traffic whose entry node is unknown) is planned alone the same way.
    /// </summary>
    private ServicePortPlan PortPlan(Service service, ServicePort port, string? entryNode)
    {
        if (entryNode is not null && ServiceProxyPlanner.GetsRules(service) && cluster.NodesByName.ContainsKey(entryNode))
        {
            if (!_nodePlans.TryGetValue(entryNode, out var nodePlan))
            {
                nodePlan = ServiceProxyPlanner.Plan(cluster, entryNode);
                _nodePlans[entryNode] = nodePlan;
            }

            var id = ServiceProxyPlanner.PortId(service, port);
            return nodePlan.Ports.First(p => p.Id == id);
        }

        return ServiceProxyPlanner.PlanPort(service, port, cluster.SlicesFor(service), entryNode, nodeAddress: null);
    }

    private static string? SourceNode(TraceSource source) => source.Pod?.Spec.NodeName;
}
