using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// The ClusterNetworkPolicy rule that matched a connection: tier, priority, policy, direction, rule index (and name),
/// its action, and the peer and protocol entries that matched (null for the protocol when the rule lists none).
/// </summary>
public sealed record ClusterRuleRef(
    ClusterPolicyTier Tier, int Priority, string Policy, PolicyDirection Direction, int Rule, string? RuleName, ClusterPolicyAction Action, int Peer, int? Port)
{
    /// <summary>For example <c>Admin tier priority 6 egress-tcp egress rule 3 "deny-to-slytherin" (Deny) peer 0 port 0</c>.</summary>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Tier} tier priority {Priority} {Policy} {(Direction == PolicyDirection.Ingress ? "ingress" : "egress")} rule {Rule}{(RuleName is null ? "" : $" \"{RuleName}\"")} ({Action}) peer {Peer} {(Port is { } port ? $"port {port}" : "any port")}");
}
