using System.Net;
using System.Net.Sockets;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// Computes a node's <see cref="NodePolicyPlan"/>: which of its pods each direction isolates, and the compiled rules
/// that decide them. Pure: the same cluster and node give an equal plan. The compilation is documented in
/// docs/networkpolicy-dataplane.md and held to <see cref="NetworkPolicyEvaluator"/> by a differential test.
/// </summary>
public static class NodePolicyPlanner
{
    public static NodePolicyPlan Plan(ClusterState cluster, string nodeName) =>
        Plan(NetworkPolicyEvaluator.For(cluster), cluster.Pods, cluster.Nodes, nodeName);

    /// <summary>
    /// The plan of <paramref name="nodeName"/>, deciding isolation with <paramref name="evaluator"/> (built from the same
    /// snapshot as <paramref name="pods"/>); its sets hold addresses of every pod in <paramref name="pods"/>.
    /// </summary>
    public static NodePolicyPlan Plan(NetworkPolicyEvaluator evaluator, IEnumerable<Pod> pods, IEnumerable<Node> nodes, string nodeName)
    {
        var node = nodes.FirstOrDefault(n => n.Name == nodeName)
            ?? throw new ArgumentException($"the cluster has no node {nodeName}", nameof(nodeName));
        var enforceable = pods.Where(IsEnforceable).ToList();
        var compiler = new NodePolicyCompiler(evaluator, enforceable, [.. nodes]);
        var local = enforceable.Where(p => p.Spec.NodeName == nodeName)
            .OrderBy(p => IpMath.ToUInt32(p.Status.PodIP!))
            .Select(compiler.Compile)
            .ToList();
        return new NodePolicyPlan
        {
            NodeName = nodeName,
            NodeAddress = node.InternalIP,
            Pods = new(local),
            Chains = new(compiler.Chains.OrderBy(c => c.Name, StringComparer.Ordinal)),
            TierChains = new(compiler.TierChains.OrderBy(c => c.Name, StringComparer.Ordinal)),
            PeerSets = new(compiler.PeerSets.OrderBy(s => s.Name, StringComparer.Ordinal)),
            NamedPortSets = new(compiler.NamedPortSets.OrderBy(s => s.Name, StringComparer.Ordinal)),
        };
    }

    /// <summary>
    /// Pods a data plane can match: not hostNetwork (policies never select them; they are their node's address) and with
    /// an IPv4 address (the lab's pod network is IPv4; a pod without an address has no packets yet).
    /// </summary>
    public static bool IsEnforceable(Pod pod) =>
        !pod.Spec.HostNetwork && pod.Status.PodIP is { AddressFamily: AddressFamily.InterNetwork };

    internal static IPAddress AddressOf(Pod pod) => pod.Status.PodIP!;
}
