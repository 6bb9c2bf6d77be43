using System.Net;
using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;

namespace Maille.Lab.Policy;

/// <summary>
/// Where NetworkPolicy judges a connection in the lab, from what the entry node's Service rules did with it: the same
/// path as <see cref="ForwardPath"/>, read from the nodes' plans instead of the cluster (docs/networkpolicy-dataplane.md).
/// </summary>
internal static class PolicyCrossings
{
    /// <summary>
    /// The forward hooks that judge a packet which entered <paramref name="entryNode"/> (<paramref name="ingress"/>:
    /// from one of its pods, from the node itself, or from the node network) and goes to <paramref name="target"/>
    /// after DNAT, masqueraded on the way out of the entry node or not. In path order; only nodes where a pod of theirs
    /// is at either end (no other node decides anything).
    /// </summary>
    /// <remarks>
    /// The entry node's forward hook is crossed unless the packet was sent by the node itself (its output hook) or is
    /// addressed to the node (its input hook). The target pod's node, when it is another one, sees the packet after the
    /// entry node's postrouting: from the entry node's address when it was masqueraded.
    /// </remarks>
    public static IReadOnlyList<PolicyCrossing> For(IReadOnlyDictionary<string, NodePolicyPlan> plans, string entryNode, NftIngress ingress, IPAddress source, IPAddress target, bool masqueraded)
    {
        var crossings = new List<PolicyCrossing>(2);
        var entry = plans.GetValueOrDefault(entryNode);
        if (entry is not null && ingress != NftIngress.NodeLocal && !target.Equals(entry.NodeAddress) && Judges(entry, source, target))
        {
            crossings.Add(new PolicyCrossing(entryNode, source, target));
        }

        var owner = plans.Values.FirstOrDefault(p => p.Pods.Any(pod => pod.Address.Equals(target)));
        if (owner is not null && owner.NodeName != entryNode)
        {
            var seen = masqueraded && entry?.NodeAddress is { } entryAddress ? entryAddress : source;
            if (!seen.Equals(owner.NodeAddress))
            {
                crossings.Add(new PolicyCrossing(owner.NodeName, seen, target));
            }
        }

        return crossings;
    }

    private static bool Judges(NodePolicyPlan plan, IPAddress source, IPAddress destination) =>
        plan.Pods.Any(p => p.Address.Equals(source) || p.Address.Equals(destination));
}
