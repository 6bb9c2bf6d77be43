using Maille.Model;
using static Maille.Kube.GatewayObjectWriter;

namespace Maille.Kube;

/// <summary>
/// A ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) as the API server serves it: KubernetesClient has no type
/// for it, so maps with sorted keys, as <see cref="GatewayObjectWriter"/> writes the Gateway API's kinds. The spec is the
/// model's (what was read). <c>status.conditions</c> (network-policy-api v0.2.0 defines the list, <c>metav1.Condition</c>
/// keyed by <c>type</c>, and no types) are written as OVN-Kubernetes writes them for AdminNetworkPolicy, one per zone
/// that programs the policy, <c>Ready-In-Zone-ZONE</c>: in a lab each node's agent programs its own table, so one per
/// node (<see cref="Conditions"/>). Offline nothing is programmed: no status.
/// </summary>
public static class ClusterNetworkPolicyObjectWriter
{
    private const string ApiVersion = PolicyApi.Group + "/v1alpha2";

    private const string AdminApiVersion = PolicyApi.Group + "/v1alpha1";

    /// <summary>The reason of a node's condition when its agent programmed the lab's plan (OVN-Kubernetes' word).</summary>
    public const string SetupSucceeded = "SetupSucceeded";

    /// <summary>The reason of a node's condition when the node is stopped or does not answer: its agent keeps nothing there.</summary>
    public const string NodeNotReady = "NodeNotReady";

    /// <summary>The condition type of one node: <c>Ready-In-Zone-node-1</c>.</summary>
    public static string ReadyType(string node) => "Ready-In-Zone-" + node;

    /// <summary>The policy as read, without status (offline: nothing programs it).</summary>
    public static object Write(ClusterNetworkPolicy policy) => Write(policy, nodes: null);

    /// <summary>
    /// The policy as a lab serves it: with a condition per node of the lab (<paramref name="nodes"/>), whose agent
    /// programmed the plan the lab serves (a lab answers a write once every agent has programmed it).
    /// </summary>
    public static object Write(ClusterNetworkPolicy policy, IReadOnlyList<string>? nodes) => policy.SourceKind == PolicyApi.ClusterNetworkPolicyKind
        ? WriteClusterNetworkPolicy(policy, nodes)
        : WriteAdminNetworkPolicy(policy, nodes);

    private static SortedDictionary<string, object?> WriteClusterNetworkPolicy(ClusterNetworkPolicy policy, IReadOnlyList<string>? nodes) => Map(
        ("apiVersion", ApiVersion),
        ("kind", PolicyApi.ClusterNetworkPolicyKind),
        ("metadata", KubeObjectWriter.Meta(PolicyApi.ClusterNetworkPolicyKind, policy.Meta, withSpec: true)),
        ("status", nodes is null ? null : Status(policy, nodes)),
        ("spec", Map(
            ("tier", policy.Tier.ToString()),
            ("priority", policy.Priority),
            ("subject", Map(("namespaces", Selector(policy.Subject.Namespaces)), ("pods", Pods(policy.Subject.Pods)))),
            ("ingress", policy.Ingress.IsEmpty ? null : policy.Ingress.Select(r => Rule(r, "from")).ToList()),
            ("egress", policy.Egress.IsEmpty ? null : policy.Egress.Select(r => Rule(r, "to")).ToList()))));

    /// <summary>
    /// A v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy in its own version's shape, as a cluster that still
    /// serves v1alpha1 returns it: no tier, a priority only for the Admin kind, <c>Allow</c> where v1alpha2 says
    /// <c>Accept</c>, and <c>ports</c> (portNumber, portRange, namedPort) where v1alpha2 has <c>protocols</c>.
    /// </summary>
    private static SortedDictionary<string, object?> WriteAdminNetworkPolicy(ClusterNetworkPolicy policy, IReadOnlyList<string>? nodes) => Map(
        ("apiVersion", AdminApiVersion),
        ("kind", policy.SourceKind),
        ("metadata", KubeObjectWriter.Meta(policy.SourceKind, policy.Meta, withSpec: true)),
        ("status", nodes is null ? null : Status(policy, nodes)),
        ("spec", Map(
            ("priority", policy.SourceKind == PolicyApi.AdminNetworkPolicyKind ? policy.Priority : null),
            ("subject", Map(("namespaces", Selector(policy.Subject.Namespaces)), ("pods", Pods(policy.Subject.Pods)))),
            ("ingress", policy.Ingress.IsEmpty ? null : policy.Ingress.Select(r => AdminRule(r, "from")).ToList()),
            ("egress", policy.Egress.IsEmpty ? null : policy.Egress.Select(r => AdminRule(r, "to")).ToList()))));

    /// <summary>
    /// One <c>Ready-In-Zone-NODE</c> condition per node, in node order: <c>True</c>, <c>SetupSucceeded</c>, saying which
    /// table holds the policy; for a node in <paramref name="notReady"/> (stopped, or not answering: its agent keeps no
    /// rules there) <c>Unknown</c>, <c>NodeNotReady</c>. <c>observedGeneration</c> and <c>lastTransitionTime</c> as the
    /// Gateway API's conditions.
    /// </summary>
    public static List<SortedDictionary<string, object?>> Conditions(ClusterNetworkPolicy policy, IReadOnlyList<string> nodes, IReadOnlySet<string>? notReady = null) =>
        [.. nodes.Order(StringComparer.Ordinal).Select(node => notReady?.Contains(node) == true
            ? Condition(policy, node, "Unknown", NodeNotReady, $"{node} is not ready (stopped, or not answering on the node network): its agent does not keep this policy's rules there")
            : Condition(policy, node, "True", SetupSucceeded, $"{node}'s agent programmed the lab's plan, this {policy.Tier} tier policy included, in its table ip maille-policy"))];

    /// <summary>The <c>status</c> a lab serves: <see cref="Conditions"/>.</summary>
    public static SortedDictionary<string, object?> Status(ClusterNetworkPolicy policy, IReadOnlyList<string> nodes, IReadOnlySet<string>? notReady = null) =>
        Map(("conditions", Conditions(policy, nodes, notReady)));

    private static SortedDictionary<string, object?> Condition(ClusterNetworkPolicy policy, string node, string status, string reason, string message) => Map(
        ("type", ReadyType(node)),
        ("status", status),
        ("reason", reason),
        ("message", message),
        ("observedGeneration", Math.Max(policy.Meta.Generation, 1)),
        ("lastTransitionTime", policy.Meta.CreationTimestamp?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));

    private static SortedDictionary<string, object?> Rule(ClusterPolicyRule rule, string peers) => Map(
        ("name", rule.Name),
        ("action", rule.Action.ToString()),
        (peers, rule.Peers.Select(Peer).ToList()),
        ("protocols", rule.Ports.IsEmpty ? null : rule.Ports.Select(Protocol).ToList()));

    private static SortedDictionary<string, object?> AdminRule(ClusterPolicyRule rule, string peers) => Map(
        ("name", rule.Name),
        ("action", rule.Action == ClusterPolicyAction.Accept ? "Allow" : rule.Action.ToString()),
        (peers, rule.Peers.Select(Peer).ToList()),
        ("ports", rule.Ports.IsEmpty ? null : rule.Ports.Select(AdminPort).ToList()));

    private static SortedDictionary<string, object?> AdminPort(ClusterPolicyPort port) =>
        port.NamedPort is { } name ? Map(("namedPort", name))
        : port.First == port.Last ? Map(("portNumber", Map(("protocol", port.Protocol!.Value.ToString()), ("port", port.First))))
        : Map(("portRange", Map(("protocol", port.Protocol!.Value.ToString()), ("start", port.First), ("end", port.Last))));

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
