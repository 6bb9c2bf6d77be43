using System.Globalization;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// One rule of one policy in one direction: the unit a data plane counts packets for (one named counter each), and
/// what <see cref="RuleRef"/> reduces to once peers and ports are compiled into sets and matches.
/// </summary>
public sealed record PolicyRuleId(string PolicyNamespace, string PolicyName, PolicyDirection Direction, int Rule)
{
    public string Policy => $"{PolicyNamespace}/{PolicyName}";

    public string DirectionName => Direction == PolicyDirection.Ingress ? "ingress" : "egress";

    /// <summary>
    /// The rule's name, one per rule: <c>ingress/x/allow-80/0</c> (direction, policy namespace and name, rule index). It
    /// has no length limit; a data plane whose names have one derives its own from it (nftables: Maille.Dataplane.Nftables'
    /// <c>PolicyCounterNames</c>).
    /// </summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{DirectionName}/{PolicyNamespace}/{PolicyName}/{Rule}");

    public static PolicyRuleId Of(RuleRef rule) => new(rule.PolicyNamespace, rule.PolicyName, rule.Direction, rule.Rule);

    /// <summary><c>x/allow-80 ingress rule 0</c>, the beginning of <see cref="RuleRef.ToString"/>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Policy} {DirectionName} rule {Rule}");
}
