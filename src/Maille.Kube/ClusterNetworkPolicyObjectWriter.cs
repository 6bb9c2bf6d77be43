using Maille.Model;
using static Maille.Kube.GatewayObjectWriter;

namespace Maille.Kube;

/// <summary>
/// A ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) as the API server serves it: KubernetesClient has no type
/// for it, so maps with sorted keys, as <see cref="GatewayObjectWriter"/> writes the Gateway API's kinds. The spec is the
/// model's (what was read); there is no status (Maille does not write <c>status.conditions</c> yet).
/// </summary>
public static class ClusterNetworkPolicyObjectWriter
{
    private const string ApiVersion = PolicyApi.Group + "/v1alpha2";

    public static object Write(ClusterNetworkPolicy policy) => Map(
        ("apiVersion", ApiVersion),
        ("kind", PolicyApi.ClusterNetworkPolicyKind),
        ("metadata", KubeObjectWriter.Meta(PolicyApi.ClusterNetworkPolicyKind, policy.Meta, withSpec: true)),
        ("spec", Map(
            ("tier", policy.Tier.ToString()),
            ("priority", policy.Priority),
            ("subject", Map(("namespaces", Selector(policy.Subject.Namespaces)), ("pods", Pods(policy.Subject.Pods)))),
            ("ingress", policy.Ingress.IsEmpty ? null : policy.Ingress.Select(r => Rule(r, "from")).ToList()),
            ("egress", policy.Egress.IsEmpty ? null : policy.Egress.Select(r => Rule(r, "to")).ToList()))));

    private static SortedDictionary<string, object?> Rule(ClusterPolicyRule rule, string peers) => Map(
        ("name", rule.Name),
        ("action", rule.Action.ToString()),
        (peers, rule.Peers.Select(Peer).ToList()),
        ("protocols", rule.Ports.IsEmpty ? null : rule.Ports.Select(Protocol).ToList()));

    private static SortedDictionary<string, object?> Peer(ClusterPolicyPeer peer) => Map(
        ("namespaces", Selector(peer.Namespaces)),
        ("pods", Pods(peer.Pods)),
        ("nodes", Selector(peer.Nodes)),
        ("networks", peer.Networks.IsEmpty ? null : peer.Networks.Select(n => n.Cidr).ToList()),
        ("domainNames", peer.DomainNames.IsEmpty ? null : peer.DomainNames.ToList()));

    private static SortedDictionary<string, object?>? Pods(NamespacedPodSelector? pods) => pods is null ? null : Map(
        ("namespaceSelector", Selector(pods.NamespaceSelector)), ("podSelector", Selector(pods.PodSelector)));

    private static SortedDictionary<string, object?> Protocol(ClusterPolicyPort port)
    {
        if (port.NamedPort is { } name)
        {
            return Map(("destinationNamedPort", name));
        }

        var destination = port.First == port.Last ? Map(("number", port.First)) : Map(("range", Map(("start", port.First), ("end", port.Last))));
        return Map((port.Protocol!.Value.ToString().ToLowerInvariant(), Map(("destinationPort", destination))));
    }
}
