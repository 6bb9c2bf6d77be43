using System.Net;
using Maille.Engine.Mesh;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Trace;

public sealed partial class Tracer
{
    private enum ServiceEntry
    {
        ClusterIP,
        NodePort,
        External,
    }

    private enum Masquerade
    {
        None,
        ToReceivingNode,
        ReceivingNodeUnknown,
    }

    private MeshAuthorizer? _mesh;

    /// <summary>The mesh's decisions (ambient: node proxies, HBONE, AuthorizationPolicy), made on first use.</summary>
    private MeshAuthorizer Mesh => _mesh ??= MeshAuthorizer.For(cluster);

    /// <summary>A candidate endpoint: address and port after DNAT, with its node, pod and conditions.</summary>
    private sealed record Candidate(string Address, int Port, string? NodeName, string? PodName, bool Ready, bool Serving, bool Terminating)
    {
        public static Candidate ForPod(Pod pod, int port) =>
            new(pod.Status.PodIP!.ToString(), port, pod.Spec.NodeName, pod.QualifiedName, pod.Status.Ready ?? true, pod.Status.Ready ?? true, pod.IsTerminating);

        /// <summary>An endpoint the Service's rules may choose (its conditions are the plan's: ready, or serving while terminating).</summary>
        public static Candidate ForEndpoint(ServiceProxy.ProxyEndpoint endpoint) =>
            new(endpoint.Address.ToString(), endpoint.Port, endpoint.NodeName, endpoint.Pod, !endpoint.Terminating, true, endpoint.Terminating);
    }

    /// <summary>What cluster DNS answers for a headless Service: every address of its endpoints, with their conditions.</summary>
    private List<Candidate> HeadlessEndpointsOf(Service service)
    {
        // Only slices of the Service's address family are read (FQDN slices are ignored, as kube-proxy does).
        var family = service.ClusterIP?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
        return [.. cluster.SlicesFor(service).Where(s => s.AddressType == family)
            .SelectMany(s => s.Endpoints)
            .SelectMany(e => e.Addresses.Select(address => new Candidate(address, 0, e.NodeName, e.TargetPod, e.Conditions.Ready, e.Conditions.Serving, e.Conditions.Terminating)))];
    }

    /// <param name="sentTo">
    /// For a pod whose packet crossed to a node's address untranslated (another node's NodePort): the address and port
    /// it carried there, which its egress policy judges on its own node; the endpoint's ingress then judges the packet
    /// as the receiving node forwards it (its address when it masqueraded the packet to another node).
    /// </param>
    private TraceResult Deliver(TraceSource source, List<TraceHop> hops, IReadOnlyList<Candidate> candidates, Protocol protocol, Masquerade masquerade, Node? receivingNode = null, (IPAddress Address, int Port)? sentTo = null)
    {
        var endpoints = new List<TracedEndpoint>();
        var sourceNode = source.Pod?.Spec.NodeName;
        foreach (var candidate in candidates)
        {
            var pod = candidate.PodName is not null && cluster.PodsByName.TryGetValue(candidate.PodName, out var named)
                ? named
                : cluster.Pods.FirstOrDefault(p => p.Status.PodIP?.ToString() == candidate.Address && !p.Spec.HostNetwork);
            var destinationNode = pod?.Spec.NodeName ?? candidate.NodeName;
            var label = pod?.QualifiedName ?? candidate.Address;
            var at = $"{candidate.Address}:{candidate.Port}/{protocol}";

            hops.Add(new TraceHop("node", destinationNode, NodeHopResult(source, sourceNode, destinationNode, receivingNode), $"to {label} at {at}", null, label));

            var from = PolicySource(source, masquerade, receivingNode, destinationNode);
            if (pod is null && !IPAddress.TryParse(candidate.Address, out _))
            {
                hops.Add(new TraceHop("delivery", destinationNode, "unusable", $"endpoint address {candidate.Address} is not an IP address", null, label));
                endpoints.Add(new TracedEndpoint(null, candidate.Address, candidate.Port, protocol, TraceResult.Unreachable, []));
                continue;
            }

            var to = pod is not null ? policy.EndpointOf(pod) : PolicyEndpoint.External(IPAddress.Parse(candidate.Address));

            // Between two meshed pods the kernel (and so NetworkPolicy) sees HBONE: the source pod's address to the
            // destination pod's port 15008. The application port is judged by the destination's node proxy.
            var hbone = sentTo is null && pod is not null && from.Pod is { } sourcePod && Mesh.CarriesOverHbone(sourcePod, pod, protocol);
            var (judgedPort, judgedProtocol) = hbone ? (MeshApi.HbonePort, Protocol.TCP) : (candidate.Port, protocol);
            if (hbone)
            {
                AddHboneHops(hops, from.Pod!, pod!, sourceNode, destinationNode, candidate, label);
            }
            else if (source.Pod is { } client && Mesh.IsMeshed(client) && sentTo is null && masquerade == Masquerade.None)
            {
                hops.Add(new TraceHop("mesh-source", sourceNode, "passthrough",
                    $"{client.QualifiedName} is in the mesh but {(protocol != Protocol.TCP ? $"{protocol} is not carried by the node proxy" : $"{label} is not")}: the node proxy on {sourceNode} passes the connection through as plaintext", null, label));
            }

            var verdict = sentTo is { } sent
                ? Crossing(policy.EndpointOf(source.Pod!), sent, from, to, candidate.Port, protocol)
                : policy.Evaluate(from, to, judgedPort, judgedProtocol);
            var egressText = sentTo is { } carried ? $"{policy.EndpointOf(source.Pod!)} → {carried.Address}:{carried.Port}" : hbone ? $"{from} → {label}:{MeshApi.HbonePort}/TCP (HBONE)" : $"{from} → {label}";
            hops.Add(new TraceHop("egress-policy", sourceNode, verdict.Reason == VerdictReason.Policy ? (verdict.Egress.Allowed ? "allowed" : "denied") : "allowed",
                verdict.Reason == VerdictReason.Policy ? $"{egressText}: {verdict.Egress}" : verdict.ToString(), RuleOf(verdict.Egress), label)
            { Decision = verdict.Reason == VerdictReason.Policy ? TierDecision.Of(verdict.Egress) : null });
            hops.Add(new TraceHop("ingress-policy", destinationNode, verdict.Reason == VerdictReason.Policy ? (verdict.Ingress.Allowed ? "allowed" : "denied") : "allowed",
                verdict.Reason == VerdictReason.Policy ? $"{(hbone ? egressText : $"{from} → {label}")}: {verdict.Ingress}" : verdict.ToString(), RuleOf(verdict.Ingress), label)
            { Decision = verdict.Reason == VerdictReason.Policy ? TierDecision.Of(verdict.Ingress) : null });

            // The destination's node proxy decides after NetworkPolicy let the packets through (never for a pod reaching itself).
            var mesh = pod is not null && verdict.Allowed && verdict.Reason != VerdictReason.Loopback
                ? Mesh.Authorize(from, pod, candidate.Port, protocol)
                : MeshVerdict.NotInMesh;
            if (mesh.Applies)
            {
                hops.Add(new TraceHop("mesh-destination", destinationNode, mesh.Allowed ? "allowed" : "denied",
                    $"node proxy on {destinationNode} for {label}:{candidate.Port}: {mesh}", mesh.DecidedBy?.ToString(), label)
                { Mesh = mesh });
            }

            string endpointVerdict;
            var deniedByMesh = false;
            if (!verdict.Allowed)
            {
                endpointVerdict = TraceResult.Denied;
                hops.Add(new TraceHop("delivery", destinationNode, "dropped", $"NetworkPolicy does not allow {from} → {label} on {judgedPort}/{judgedProtocol}{(hbone ? " (HBONE)" : "")}", null, label));
            }
            else if (!mesh.Allowed)
            {
                endpointVerdict = TraceResult.Denied;
                deniedByMesh = true;
                hops.Add(new TraceHop("delivery", destinationNode, "refused", $"the node proxy on {destinationNode} closes the connection: {(mesh.Outcome == MeshOutcome.PlaintextRefused ? "plaintext refused (STRICT)" : "AuthorizationPolicy denies it")}", null, label));
            }
            else if (pod is null)
            {
                endpointVerdict = TraceResult.Allowed;
                hops.Add(new TraceHop("delivery", destinationNode, "sent", $"{candidate.Address} is not a pod of this cluster: the packet leaves for it", null, label));
            }
            else if (pod.Spec.AllPorts.FirstOrDefault(p => p.Port == candidate.Port && p.Protocol == protocol) is { } declared)
            {
                endpointVerdict = TraceResult.Allowed;
                hops.Add(new TraceHop("delivery", destinationNode, "delivered", $"{label} listens on {candidate.Port}/{protocol}{(declared.Name is null ? "" : $" ({declared.Name})")}", null, label));
            }
            else
            {
                endpointVerdict = TraceResult.Unreachable;
                hops.Add(new TraceHop("delivery", destinationNode, "refused", $"{label} declares no container port {candidate.Port}/{protocol}: nothing listens there", null, label));
            }

            endpoints.Add(new TracedEndpoint(pod?.QualifiedName, candidate.Address, candidate.Port, protocol, endpointVerdict,
                mesh.Applies ? [.. DecidedBy(verdict), $"mesh: {(mesh.Allowed ? "allowed" : "denied")}: {mesh}"] : DecidedBy(verdict))
            { DeniedByMesh = deniedByMesh });
        }

        return Summarize(endpoints, hops);
    }

    private static TraceResult Summarize(List<TracedEndpoint> endpoints, List<TraceHop> hops)
    {
        var allowed = endpoints.Count(e => e.Verdict == TraceResult.Allowed);
        var denied = endpoints.Count(e => e.Verdict == TraceResult.Denied);
        var unreachable = endpoints.Count - allowed - denied;
        if (allowed + denied == 0)
        {
            var target = endpoints.Count == 1 ? endpoints[0].Pod ?? endpoints[0].Ip : $"{endpoints.Count} endpoints";
            return new TraceResult(TraceResult.Unreachable, $"nothing listens on {target} at {endpoints[0].Port}/{endpoints[0].Protocol}", hops, endpoints);
        }

        if (denied == 0 && unreachable == 0)
        {
            return new TraceResult(TraceResult.Allowed, endpoints.Count == 1 ? "the connection is allowed" : $"all {endpoints.Count} endpoints are allowed", hops, endpoints);
        }

        if (allowed == 0 && unreachable == 0)
        {
            var byMesh = endpoints.Count(e => e.DeniedByMesh);
            var who = byMesh == 0 ? "NetworkPolicy denies" : byMesh == denied ? "mesh authorization denies" : "NetworkPolicy and mesh authorization deny";
            return new TraceResult(TraceResult.Denied, endpoints.Count == 1 ? $"{who} the connection" : $"{who} all {endpoints.Count} endpoints", hops, endpoints);
        }

        return new TraceResult(TraceResult.Mixed, $"{allowed} of {endpoints.Count} endpoints are allowed, {denied} denied, {unreachable} not listening: the outcome depends on which endpoint is chosen", hops, endpoints);
    }

    /// <summary>
    /// The mesh hops before NetworkPolicy judges an HBONE connection: the source node's proxy captures it and opens
    /// HTTP/2 CONNECT over mTLS with the source's identity to the destination pod's port 15008, where the destination
    /// node's proxy answers.
    /// </summary>
    private void AddHboneHops(List<TraceHop> hops, Pod source, Pod destination, string? sourceNode, string? destinationNode, Candidate candidate, string label)
    {
        hops.Add(new TraceHop("mesh-source", sourceNode, "captured",
            $"node proxy on {sourceNode} captures {source.QualifiedName}'s connection to {candidate.Address}:{candidate.Port} and presents {MeshAuthorizer.IdentityOf(source)}", null, label));
        hops.Add(new TraceHop("hbone", destinationNode, sourceNode == destinationNode ? $"within {destinationNode}" : $"{sourceNode} → {destinationNode}",
            $"HTTP/2 CONNECT {candidate.Address}:{candidate.Port} over mTLS to {candidate.Address}:{MeshApi.HbonePort}, the node proxy on {destinationNode} serving {MeshAuthorizer.IdentityOf(destination)}", null, label));
    }

    /// <summary>Who the endpoint's ingress policy sees the connection from.</summary>
    private PolicyEndpoint PolicySource(TraceSource source, Masquerade masquerade, Node? receivingNode, string? destinationNode)
    {
        // Ingress policy runs on the destination's node before masquerade: the endpoint sees the client's own address
        // (or pod) when it sits on the receiving node, and the receiving node's address when the packet was forwarded.
        if (masquerade == Masquerade.ToReceivingNode && receivingNode?.InternalIP is { } nodeAddress && receivingNode.Name != destinationNode)
        {
            return PolicyEndpoint.External(nodeAddress);
        }

        return source.Pod is { } pod ? policy.EndpointOf(pod) : PolicyEndpoint.External(source.Address);
    }

    /// <summary>
    /// A connection judged in two places: the client's egress on its own node, towards the node address it sent to;
    /// the endpoint's ingress where it lives, from <paramref name="ingressFrom"/>. Either leg that a built-in exception
    /// covers (a pod and its own node) is not judged.
    /// </summary>
    private Verdict Crossing(PolicyEndpoint client, (IPAddress Address, int Port) sentTo, PolicyEndpoint ingressFrom, PolicyEndpoint to, int port, Protocol protocol)
    {
        var egress = policy.Evaluate(client, PolicyEndpoint.External(sentTo.Address), sentTo.Port, protocol);
        var ingress = policy.Evaluate(ingressFrom, to, port, protocol);
        return new Verdict(
            VerdictReason.Policy,
            egress.Reason == VerdictReason.Policy ? egress.Egress : DirectionVerdict.NotApplicable(PolicyDirection.Egress),
            ingress.Reason == VerdictReason.Policy ? ingress.Ingress : DirectionVerdict.NotApplicable(PolicyDirection.Ingress));
    }

    private static string NodeHopResult(TraceSource source, string? sourceNode, string? destinationNode, Node? receivingNode)
    {
        var from = sourceNode ?? receivingNode?.Name ?? (source.IsExternal ? "the node network" : source.Name);
        if (destinationNode is null)
        {
            return $"{from} → outside the cluster";
        }

        return from == destinationNode ? $"within {destinationNode}" : $"{from} → {destinationNode}";
    }

    /// <summary>The rule that decided a side: the ClusterNetworkPolicy rule when a tier decided, else the NetworkPolicy rule.</summary>
    private static string? RuleOf(DirectionVerdict side) =>
        side.Tier is DecidingTier.Admin or DecidingTier.Baseline ? side.DecidedBy!.ToString() : side.AllowedBy?.ToString();

    private static string[] DecidedBy(Verdict verdict)
    {
        if (verdict.Reason != VerdictReason.Policy)
        {
            return [verdict.Reason == VerdictReason.Loopback ? "a pod reaching its own IP (always allowed)" : "a pod and its own node (always allowed)"];
        }

        var reasons = new List<string>();
        foreach (var side in new[] { verdict.Egress, verdict.Ingress })
        {
            if (side.Tier is DecidingTier.Admin or DecidingTier.Baseline)
            {
                reasons.Add(side.DecidedBy!.ToString());
            }
            else if (side.AllowedBy is { } rule)
            {
                reasons.Add(rule.ToString());
            }
            else if (side.IsIsolated)
            {
                reasons.Add($"{string.Join(", ", side.IsolatedBy)} {(side.Direction == PolicyDirection.Ingress ? "ingress" : "egress")}: no rule allows it");
            }
        }

        return [.. reasons];
    }
}
