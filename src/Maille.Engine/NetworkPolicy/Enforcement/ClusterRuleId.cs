using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One rule of one ClusterNetworkPolicy in one direction: the unit a data plane counts packets for, as
/// <see cref="PolicyRuleId"/> is for NetworkPolicy. Cluster-scoped, so there is no namespace.
/// </summary>
public sealed record ClusterRuleId(ClusterPolicyTier Tier, int Priority, string Policy, PolicyDirection Direction, int Rule)
{
    public string DirectionName => Direction == PolicyDirection.Ingress ? "ingress" : "egress";

    /// <summary>
    /// <c>cnp-POLICY-ingress-N</c>. The <c>cnp-</c> start keeps it apart from every NetworkPolicy key (those start with the
    /// direction) and makes it start with a letter; the direction and index come last, so the key reads back
    /// unambiguously whatever the policy's name holds. No length limit (see <see cref="PolicyRuleId.Key"/>).
    /// </summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"cnp-{Policy}-{DirectionName}-{Rule}");

    /// <summary><c>Admin tier priority 10 guard-z ingress rule 0</c>, the beginning of <see cref="ClusterRuleRef.ToString"/>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Tier} tier priority {Priority} {Policy} {DirectionName} rule {Rule}");
}
