using System.Collections.Immutable;
using System.Net;
using System.Text;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// A small random cluster for property tests: namespaces x, y, z; pods with addresses in 10.0.0.0/23 on node-1
/// (10.1.0.1) or node-2 (10.1.0.2); policies. <see cref="ToString"/> prints it compactly for a failing case.
/// </summary>
internal sealed record PolicyWorld(ImmutableArray<Namespace> Namespaces, ImmutableArray<Pod> Pods, ImmutableArray<Model.NetworkPolicy> Policies)
{
    public static ImmutableArray<Node> AllNodes { get; } =
    [
        new Node { Meta = new ObjectMeta { Name = "node-1" }, InternalIP = IPAddress.Parse("10.1.0.1") },
        new Node { Meta = new ObjectMeta { Name = "node-2" }, InternalIP = IPAddress.Parse("10.1.0.2") },
    ];

    /// <summary>Addresses outside every pod: the internet, an unused pod-range address, and node-1.</summary>
    public static ImmutableArray<IPAddress> Externals { get; } = [IPAddress.Parse("203.0.113.5"), IPAddress.Parse("10.0.0.200"), IPAddress.Parse("10.1.0.1")];

    public ImmutableArray<Node> Nodes => AllNodes;

    /// <summary>Every pod, then every external address.</summary>
    public IEnumerable<WorldEndpoint> Endpoints =>
        Pods.Select(p => new WorldEndpoint(p, p.Status.PodIP)).Concat(Externals.Select(a => new WorldEndpoint(null, a)));

    public bool Equals(PolicyWorld? other) => other is not null && ToString() == other.ToString();

    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var ns in Namespaces)
        {
            text.Append("namespace ").Append(ns.Name).Append(' ').Append(ns.Meta.Labels).Append('\n');
        }

        foreach (var pod in Pods)
        {
            text.Append("pod ").Append(pod.QualifiedName).Append(' ').Append(pod.Labels)
                .Append(" ip=").Append(pod.Status.PodIP).Append(" node=").Append(pod.Spec.NodeName)
                .Append(pod.Spec.HostNetwork ? " hostNetwork" : "")
                .Append(" ports=[").Append(string.Join(",", pod.Spec.AllPorts.Select(p => $"{p.Name}:{p.Port}/{p.Protocol}"))).Append("]\n");
        }

        foreach (var policy in Policies)
        {
            text.Append("policy ").Append(policy.QualifiedName).Append(" podSelector=").Append(policy.PodSelector)
                .Append(" policyTypes=").Append(policy.DeclaredPolicyTypes?.ToString() ?? "(omitted)").Append('\n');
            Rules(text, "ingress", policy.Ingress);
            Rules(text, "egress", policy.Egress);
        }

        return text.ToString();
    }

    private static void Rules(StringBuilder text, string direction, EquatableArray<NetworkPolicyRule> rules)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            text.Append("  ").Append(direction).Append('[').Append(i).Append("] peers=[")
                .Append(string.Join("; ", rules[i].Peers.Select(Peer))).Append("] ports=[")
                .Append(string.Join("; ", rules[i].Ports)).Append("]\n");
        }
    }

    private static string Peer(NetworkPolicyPeer peer) => peer.IpBlock is { } block
        ? $"ipBlock {block.Cidr} except {block.Except}"
        : $"ns={(peer.NamespaceSelector is null ? "(absent)" : "{" + peer.NamespaceSelector + "}")} pod={(peer.PodSelector is null ? "(absent)" : "{" + peer.PodSelector + "}")}";
}
