using System.Collections.Frozen;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// Every node's <see cref="NodePolicyPlan"/> of one cluster, read along the lab's packet path (<see cref="ForwardPath"/>),
/// to answer what the compiled plans decide for a connection. Loopback through a Service (a pod and itself) crosses its
/// node's forward hook as a hairpin.
/// </summary>
internal sealed class EnforcedCluster(NetworkPolicyEvaluator evaluator, IReadOnlyList<Pod> pods, IReadOnlyList<Node> nodes)
{
    private readonly FrozenDictionary<string, NodePolicyJudge> _judges =
        nodes.ToFrozenDictionary(n => n.Name, n => new NodePolicyJudge(NodePolicyPlanner.Plan(evaluator, pods, nodes, n.Name)), StringComparer.Ordinal);

    /// <summary>The decision of every forward hook the first packet crosses, in path order; allowed when all allow.</summary>
    public IReadOnlyList<(string Node, ForwardDecision Decision)> Path(PolicyEndpoint from, PolicyEndpoint to, int port, Protocol protocol) =>
        [.. ForwardPath.Nodes(from, to, nodes).Select(node => (node, _judges[node].Forward(from.Address!, to.Address!, port, protocol)))];
}
