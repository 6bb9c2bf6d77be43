using System.Net;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// A deliberately naive NetworkPolicy evaluator, written straight from the reference rules: one pod pair at a time,
/// every policy scanned for every question, no classes, no caches, nothing shared with the engine beyond the model's
/// <see cref="LabelSelector.Matches"/> and parsed <see cref="IpBlock"/> networks. The property tests hold the engine to it.
/// </summary>
internal static class ReferenceEvaluator
{
    /// <summary>Whether <paramref name="from"/> may open a connection to <paramref name="to"/> on the port.</summary>
    public static bool Allowed(PolicyWorld world, WorldEndpoint from, WorldEndpoint to, int port, Protocol protocol)
    {
        // hostNetwork pods are their node's address and nothing more.
        from = AsSeenByPolicy(world, from);
        to = AsSeenByPolicy(world, to);

        // A pod reaching itself.
        if (from.Pod is not null && ReferenceEquals(from.Pod, to.Pod))
        {
            return true;
        }

        // A pod and its own node.
        if ((from.Pod is not null && to.Pod is null && Equals(NodeAddress(world, from.Pod), to.Address))
            || (to.Pod is not null && from.Pod is null && Equals(NodeAddress(world, to.Pod), from.Address)))
        {
            return true;
        }

        var egressOk = from.Pod is null || SideAllows(world, from.Pod, isIngress: false, to, port, protocol);
        var ingressOk = to.Pod is null || SideAllows(world, to.Pod, isIngress: true, from, port, protocol);
        return egressOk && ingressOk;
    }

    private static WorldEndpoint AsSeenByPolicy(PolicyWorld world, WorldEndpoint endpoint) =>
        endpoint.Pod is { Spec.HostNetwork: true } pod ? new WorldEndpoint(null, NodeAddress(world, pod)) : endpoint;

    private static IPAddress? NodeAddress(PolicyWorld world, Pod pod) =>
        world.Nodes.FirstOrDefault(n => n.Name == pod.Spec.NodeName)?.InternalIP;

    /// <summary>The subject's policies for one direction; <paramref name="other"/> is the far end.</summary>
    private static bool SideAllows(PolicyWorld world, Pod subject, bool isIngress, WorldEndpoint other, int port, Protocol protocol)
    {
        var isolating = world.Policies
            .Where(p => p.Meta.Namespace == subject.Namespace && p.PodSelector.Matches(subject.Labels) && Covers(p, isIngress))
            .ToList();
        if (isolating.Count == 0)
        {
            return true;
        }

        // Named ports are looked up on whoever receives the connection.
        var receiver = isIngress ? subject : other.Pod;
        foreach (var policy in isolating)
        {
            foreach (var rule in isIngress ? policy.Ingress : policy.Egress)
            {
                var peerOk = rule.Peers.Count == 0 || rule.Peers.Any(peer => PeerMatches(world, policy, peer, other));
                var portOk = rule.Ports.Count == 0 || rule.Ports.Any(p => PortMatches(p, receiver, port, protocol));
                if (peerOk && portOk)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>policyTypes, or when omitted: Ingress always, Egress only if there is at least one egress rule.</summary>
    private static bool Covers(Model.NetworkPolicy policy, bool isIngress)
    {
        if (policy.DeclaredPolicyTypes is { } declared)
        {
            return declared.HasFlag(isIngress ? PolicyDirection.Ingress : PolicyDirection.Egress);
        }

        return isIngress || policy.Egress.Count > 0;
    }

    private static bool PeerMatches(PolicyWorld world, Model.NetworkPolicy policy, NetworkPolicyPeer peer, WorldEndpoint other)
    {
        if (peer.IpBlock is { } block)
        {
            return other.Address is { } address
                && block.Network is { } network && network.Contains(address)
                && !block.ExceptNetworks.Any(e => e.Contains(address));
        }

        if (other.Pod is not { } pod)
        {
            return false;
        }

        bool namespaceOk;
        if (peer.NamespaceSelector is null)
        {
            namespaceOk = pod.Namespace == policy.Meta.Namespace;
        }
        else
        {
            var ns = world.Namespaces.First(n => n.Name == pod.Namespace);
            namespaceOk = peer.NamespaceSelector.Matches(ns.Meta.Labels.With(Namespace.NameLabel, ns.Name));
        }

        var podOk = peer.PodSelector is null || peer.PodSelector.Matches(pod.Labels);
        return (peer.PodSelector is not null || peer.NamespaceSelector is not null) && namespaceOk && podOk;
    }

    private static bool PortMatches(NetworkPolicyPort entry, Pod? receiver, int port, Protocol protocol)
    {
        if (entry.Protocol != protocol)
        {
            return false;
        }

        if (entry.Port is not { } wanted)
        {
            return true;
        }

        if (wanted.Name is { } name)
        {
            if (receiver is null)
            {
                return false;
            }

            foreach (var container in receiver.Spec.Containers)
            {
                foreach (var declared in container.Ports)
                {
                    if (declared.Name == name && declared.Protocol == protocol)
                    {
                        return declared.Port == port;
                    }
                }
            }

            return false;
        }

        var low = wanted.Number!.Value;
        var high = entry.EndPort ?? low;
        return low <= port && port <= high;
    }
}
