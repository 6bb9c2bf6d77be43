using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Lab.Policy;

/// <summary>
/// How many connections one ClusterNetworkPolicy rule decided on one node, and their bytes: first packets that matched
/// it, whatever its action (Accept, Deny and Pass alike), counted in the kernel under <see cref="Counter"/>.
/// </summary>
public sealed record ClusterRuleCount(ClusterRuleId Rule, string? RuleName, ClusterPolicyAction Action, long Packets, long Bytes)
{
    /// <summary>The nftables counter's name, <c>cnp-POLICY-ingress-0</c>.</summary>
    public string Counter => PolicyCounterNames.Of(Rule);
}
