using System.Net;
using Maille.Dataplane.Linux.Flows;
using Maille.Dataplane.Nftables;
using Maille.Engine;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Lab.Observe;

/// <summary>
/// Names what the kernels saw with one <see cref="ClusterState"/>: addresses as pods, Services and nodes, and the rule
/// that decided, from the engine's <see cref="NetworkPolicyEvaluator"/> (the one that plans the tables; no second
/// evaluator here). Made once per published state.
/// </summary>
internal sealed class FlowResolver
{
    private readonly NetworkPolicyEvaluator _evaluator;
    private readonly Dictionary<IPAddress, Pod> _pods = [];
    private readonly Dictionary<IPAddress, Service> _services = [];
    private readonly Dictionary<IPAddress, string> _nodes = [];

    public FlowResolver(ClusterState cluster)
    {
        Cluster = cluster;
        _evaluator = NetworkPolicyEvaluator.For(cluster);
        foreach (var pod in cluster.Pods.Where(p => !p.Spec.HostNetwork && p.Status.PodIP is not null))
        {
            _pods[pod.Status.PodIP!] = pod;
        }

        foreach (var service in cluster.Services.Where(s => s.ClusterIP is not null))
        {
            _services[service.ClusterIP!] = service;
        }

        foreach (var node in cluster.Nodes.Where(n => n.InternalIP is not null))
        {
            _nodes[node.InternalIP!] = node.Name;
        }
    }

    public ClusterState Cluster { get; }

    /// <summary>
    /// The flow conntrack confirmed on <paramref name="node"/>, or null when another node reports it. A connection to a
    /// pod is reported by the pod's node: its first packet got there, so every policy on the way allowed it (the nodes
    /// before only allowed their side). One to an address that is no pod's, by the source pod's node. One the node opens
    /// itself (its probes, the overlay's own packets) by none. A translation seen on a node before the last is kept in
    /// <paramref name="translations"/> for the last.
    /// </summary>
    public FlowRecord? Connection(string node, ConntrackEvent e, DateTimeOffset time, RecentTranslations translations)
    {
        _pods.TryGetValue(e.Source, out var from);
        _pods.TryGetValue(e.ReplySource, out var to);
        if ((to is not null && to.Spec.NodeName != node) || (to is null && from?.Spec.NodeName != node)
            || (from is null && _nodes.TryGetValue(e.Source, out var sourceNode) && sourceNode == node))
        {
            if (e.Translated && to is not null)
            {
                translations.Add(e.Protocol, e.Source, e.SourcePort, e.ReplySource, e.ReplySourcePort, e.Destination, e.DestinationPort);
            }

            return null;
        }

        var translated = e.Translated ? (e.Destination, (int)e.DestinationPort) : translations.Take(e.Protocol, e.Source, e.SourcePort, e.ReplySource, e.ReplySourcePort);
        var service = translated is { } t && _services.TryGetValue(t.Item1, out var s) ? s : null;
        var protocol = ProtocolOf(e.Protocol);
        var rule = protocol is { } p
            ? AllowedBy(Endpoint(from, e.Source), Endpoint(to, e.ReplySource), e.ReplySourcePort, p)
            : "NetworkPolicy does not judge this protocol";
        return Record(node, time, from, e.Source, e.SourcePort, to, e.ReplySource, e.ReplySourcePort, e.Protocol, allowed: true, rule) with
        {
            Service = service?.Meta.QualifiedName,
            ServiceAddress = translated?.Item1,
            ServicePort = translated?.Item2,
        };
    }

    /// <summary>
    /// Whether <paramref name="node"/> reports this connection but its Service translation, if any, happened on the
    /// client's own node and has not been read yet: the nodes' events come on separate sockets, so the endpoint's
    /// node's may be read first.
    /// </summary>
    public bool AwaitsTranslation(string node, ConntrackEvent e, RecentTranslations translations) =>
        !e.Translated
        && _pods.TryGetValue(e.Source, out var from) && from.Spec.NodeName != node
        && _pods.TryGetValue(e.ReplySource, out var to) && to.Spec.NodeName == node
        && !translations.Contains(e.Protocol, e.Source, e.SourcePort, e.ReplySource, e.ReplySourcePort);

    /// <summary>
    /// A first packet <paramref name="node"/>'s policy table denied and logged. The prefix names the chain that denied
    /// it; its policies come from <paramref name="plan"/> (what the node's enforcer applied), or, when the chain is not
    /// there (replaced since, or the enforcer runs in another process), from the engine's isolation of the pod.
    /// </summary>
    public FlowRecord? Denial(string node, NflogPacket packet, NodePolicyPlan? plan, DateTimeOffset time)
    {
        if (PolicyDenialLog.ChainOf(packet.Prefix) is not { } chainName)
        {
            return null;
        }

        _pods.TryGetValue(packet.Source, out var from);
        _pods.TryGetValue(packet.Destination, out var to);
        if (PolicyDenialLog.IsClusterRule(packet.Prefix))
        {
            return Record(node, time, from, packet.Source, packet.SourcePort, to, packet.Destination, packet.DestinationPort, packet.Protocol, allowed: false,
                ClusterRuleDenial(packet, plan, from, to));
        }

        var chain = plan?.Chains.FirstOrDefault(c => c.Name == chainName);
        var ingress = chain?.Direction == PolicyDirection.Ingress || (chain is null && chainName.StartsWith("ingress-", StringComparison.Ordinal));
        var policies = chain is not null
            ? chain.Policies.AsEnumerable()
            : (ingress ? to : from) is { } isolated ? (ingress ? _evaluator.IsolationOf(isolated).Ingress : _evaluator.IsolationOf(isolated).Egress) : [];
        return Record(node, time, from, packet.Source, packet.SourcePort, to, packet.Destination, packet.DestinationPort, packet.Protocol, allowed: false,
            $"default deny of {string.Join(", ", policies)} ({(ingress ? "ingress" : "egress")})");
    }

    /// <summary>
    /// The ClusterNetworkPolicy rule whose prefix the packet carries, from the node's plan, else (the enforcer runs in
    /// another process, or the rule was replaced since) from the engine's verdict for the same connection.
    /// </summary>
    private string ClusterRuleDenial(NflogPacket packet, NodePolicyPlan? plan, Pod? from, Pod? to)
    {
        var verdict = ProtocolOf(packet.Protocol) is { } protocol
            ? _evaluator.Evaluate(Endpoint(from, packet.Source), Endpoint(to, packet.Destination), packet.DestinationPort, protocol)
            : null;
        if (verdict is { Allowed: false })
        {
            return verdict.ToString()["denied: ".Length..];
        }

        var rule = plan?.TierChains.SelectMany(c => c.Rules).Select(r => r.Rule).FirstOrDefault(r => PolicyDenialLog.Prefix(r) == packet.Prefix);
        return rule is not null ? $"{rule} (Deny); the engine allows it now" : $"{packet.Prefix[PolicyDenialLog.PrefixStart.Length..]} (Deny)";
    }

    /// <summary>The rules the engine says allow it now, or why it needs none; says so when the engine would deny it now.</summary>
    private string AllowedBy(PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol)
    {
        var verdict = _evaluator.Evaluate(from, to, port, protocol);
        if (verdict.Reason != VerdictReason.Policy)
        {
            return verdict.ToString()["allowed: ".Length..];
        }

        if (!verdict.Allowed)
        {
            // Conntrack reports a connection once it is allowed; a policy applied since then denies it now.
            return $"the engine denies it now ({verdict.ToString()["denied: ".Length..]})";
        }

        var sides = new[] { verdict.Egress, verdict.Ingress }.Where(d => d.IsIsolated).Select(d => d.AllowedBy!.ToString()).ToList();
        return sides.Count == 0 ? "not isolated" : string.Join("; ", sides);
    }

    private static FlowRecord Record(string node, DateTimeOffset time, Pod? from, IPAddress source, int sourcePort, Pod? to, IPAddress destination, int port, byte protocol, bool allowed, string rule) => new()
    {
        Time = time,
        Node = node,
        From = from?.QualifiedName,
        FromAddress = source,
        FromPort = sourcePort,
        To = to?.QualifiedName,
        ToAddress = destination,
        Port = port,
        Protocol = ProtocolName(protocol),
        Allowed = allowed,
        Rule = rule,
    };

    private PolicyEndpoint Endpoint(Pod? pod, IPAddress address) => pod is null ? PolicyEndpoint.External(address) : _evaluator.EndpointOf(pod);

    private static Protocol? ProtocolOf(byte number) => number switch
    {
        6 => Model.Protocol.TCP,
        17 => Model.Protocol.UDP,
        132 => Model.Protocol.SCTP,
        _ => null,
    };

    private static string ProtocolName(byte number) => number switch
    {
        1 => "ICMP",
        _ => ProtocolOf(number)?.ToString() ?? number.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
