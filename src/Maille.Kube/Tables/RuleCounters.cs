using System.Globalization;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Kube.Tables;

/// <summary>A running lab's NetworkPolicy rule counters (summed over its nodes), looked up by policy, direction and rule.</summary>
public sealed class RuleCounters(IReadOnlyDictionary<PolicyRuleId, RuleCount> totals)
{
    /// <summary>The total of rule <paramref name="index"/>; null when no node counts it (no node's pod is selected).</summary>
    public RuleCount? Of(NetworkPolicy policy, PolicyDirection direction, int index) =>
        totals.GetValueOrDefault(new PolicyRuleId(policy.Namespace, policy.Meta.Name, direction, index));

    /// <summary>
    /// The packets of each rule of one direction, in rule order (<c>12,0</c>); <c>&lt;none&gt;</c> when the policy has
    /// no rule there (it does not affect that direction, or allows nothing in it).
    /// </summary>
    public string Cell(NetworkPolicy policy, PolicyDirection direction)
    {
        var rules = direction == PolicyDirection.Ingress ? policy.Ingress : policy.Egress;
        if (!policy.EffectivePolicyTypes.HasFlag(direction) || rules.IsEmpty)
        {
            return "<none>";
        }

        return string.Join(",", Enumerable.Range(0, rules.Count).Select(i => (Of(policy, direction, i)?.Packets ?? 0).ToString(CultureInfo.InvariantCulture)));
    }
}
