using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What decided one direction of a connection, as fields for JSON: the tier, the outcome, and the policy and rule
/// (with the priority and action for a ClusterNetworkPolicy rule; the policy and rule of a NetworkPolicy that allowed
/// it). <see cref="PassedBy"/> names a Pass rule that sent the connection on to a later tier.
/// </summary>
public sealed record TierDecision(
    DecidingTier Tier, bool Allowed, int? Priority, string? Policy, int? Rule, string? RuleName, ClusterPolicyAction? Action, string? PassedBy)
{
    public static TierDecision Of(DirectionVerdict side)
    {
        var passed = side.PassedBy?.ToString();
        return side.Tier switch
        {
            DecidingTier.Admin or DecidingTier.Baseline when side.DecidedBy is { } rule =>
                new(side.Tier, side.Allowed, rule.Priority, rule.Policy, rule.Rule, rule.RuleName, rule.Action, passed),
            DecidingTier.NetworkPolicy => new(side.Tier, side.Allowed, null, side.AllowedBy?.Policy, side.AllowedBy?.Rule, null, null, passed),
            _ => new(side.Tier, side.Allowed, null, null, null, null, null, passed),
        };
    }
}
