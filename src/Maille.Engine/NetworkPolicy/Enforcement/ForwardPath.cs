using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The nodes whose forward hook a connection's packets cross in the lab, where policy is enforced. A pod's packets
/// cross its own node's forward hook, except those addressed to that node itself (its input); packets reach a pod
/// through its node's forward hook, except those the node itself sent (its output). Two pods of one node share one
/// crossing. So egress is decided on the source pod's node and ingress on the destination pod's node, and traffic
/// between a pod and its own node is never judged (always allowed, as NetworkPolicy requires).
/// </summary>
public static class ForwardPath
{
    /// <summary>In path order: the source's node first. Endpoints as the evaluator sees them (hostNetwork pods are their node's address).</summary>
    public static IReadOnlyList<string> Nodes(PolicyEndpoint from, PolicyEndpoint to, IEnumerable<Node> nodes)
    {
        var addresses = nodes.Where(n => n.InternalIP is not null).ToDictionary(n => n.Name, n => n.InternalIP!, StringComparer.Ordinal);
        bool IsAddressOf(PolicyEndpoint endpoint, string node) =>
            endpoint.Pod is null && endpoint.Address is { } address && addresses.TryGetValue(node, out var own) && own.Equals(address);

        var crossed = new List<string>(2);
        if (from.Pod is { } source && NodePolicyPlanner.IsEnforceable(source) && !IsAddressOf(to, source.Spec.NodeName!))
        {
            crossed.Add(source.Spec.NodeName!);
        }

        if (to.Pod is { } target && NodePolicyPlanner.IsEnforceable(target) && !IsAddressOf(from, target.Spec.NodeName!) && !crossed.Contains(target.Spec.NodeName!))
        {
            crossed.Add(target.Spec.NodeName!);
        }

        return crossed;
    }
}
