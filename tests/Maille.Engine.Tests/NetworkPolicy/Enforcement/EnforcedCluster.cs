using System.Collections.Frozen;
using System.Net;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Engine.Tests.NetworkPolicies;

/// <summary>
/// Every node's <see cref="NodePolicyPlan"/> of one cluster, and the lab's packet path between them, to answer what
/// the compiled plans decide for a connection. The path is the lab's: a pod's packets cross its own node's forward
/// hook, unless they go to that node's own address (input); packets reach a pod through its node's forward hook,
/// unless that node sent them (output). Pods on one node share one traversal. Loopback through a Service (a pod and
/// itself) crosses its node's forward hook as a hairpin.
/// </summary>
internal sealed class EnforcedCluster
{
    private readonly FrozenDictionary<string, NodePolicyJudge> judges;
    private readonly FrozenDictionary<string, IPAddress> addressOfNode;

    public EnforcedCluster(NetworkPolicyEvaluator evaluator, IReadOnlyList<Pod> pods, IReadOnlyList<Node> nodes)
    {
        judges = nodes.ToFrozenDictionary(n => n.Name, n => new NodePolicyJudge(NodePolicyPlanner.Plan(evaluator, pods, nodes, n.Name)), StringComparer.Ordinal);
        addressOfNode = nodes.Where(n => n.InternalIP is not null).ToFrozenDictionary(n => n.Name, n => n.InternalIP!, StringComparer.Ordinal);
    }

    public NodePolicyPlan PlanOf(string node) => judges[node].Plan;

    /// <summary>The decision of every forward hook the first packet crosses, in path order; allowed when all allow.</summary>
    public IReadOnlyList<(string Node, ForwardDecision Decision)> Path(Pod? fromPod, IPAddress from, Pod? toPod, IPAddress to, int port, Protocol protocol)
    {
        var fromAddress = Locate(fromPod, from);
        var toAddress = Locate(toPod, to);
        var crossed = new List<string>();
        if (fromPod is { } source && NodePolicyPlanner.IsEnforceable(source) && !IsAddressOf(toAddress, source.Spec.NodeName!))
        {
            crossed.Add(source.Spec.NodeName!);
        }

        if (toPod is { } target && NodePolicyPlanner.IsEnforceable(target) && !IsAddressOf(fromAddress, target.Spec.NodeName!) && !crossed.Contains(target.Spec.NodeName!))
        {
            crossed.Add(target.Spec.NodeName!);
        }

        return [.. crossed.Select(node => (node, judges[node].Forward(fromAddress, toAddress, port, protocol)))];
    }

    public bool Allowed(Pod? fromPod, IPAddress from, Pod? toPod, IPAddress to, int port, Protocol protocol) =>
        Path(fromPod, from, toPod, to, port, protocol).All(hop => hop.Decision.Allowed);

    /// <summary>A hostNetwork pod is its node's address; anything else is its own address.</summary>
    private IPAddress Locate(Pod? pod, IPAddress address) =>
        pod is { Spec.HostNetwork: true } host && addressOfNode.TryGetValue(host.Spec.NodeName!, out var nodeAddress) ? nodeAddress : address;

    private bool IsAddressOf(IPAddress address, string node) => addressOfNode.TryGetValue(node, out var own) && own.Equals(address);
}
