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

    /// <summary>
    /// The same fields from what a node's plan decided for one direction (<see cref="NodePolicyJudge"/>), so a walk of a
    /// running lab's table reads like the engine's trace. <see cref="PassedBy"/> is the Pass rule's description (the
    /// compiled rule has no peer index).
    /// </summary>
    public static TierDecision Of(ChainDecision decision)
    {
        var passed = decision.PassedBy?.Description;
        return decision switch
        {
            { DecidedBy: { } rule } => new(
                rule.Rule.Tier == ClusterPolicyTier.Admin ? DecidingTier.Admin : DecidingTier.Baseline,
                decision.Allowed, rule.Rule.Priority, rule.Rule.Policy, rule.Rule.Rule, rule.RuleName, rule.Action, passed),
            { Chain: null } or { ByDefault: true } => new(DecidingTier.Default, true, null, null, null, null, null, passed),
            _ => new(DecidingTier.NetworkPolicy, decision.Allowed, null, decision.AllowedBy?.Rule.Policy, decision.AllowedBy?.Rule.Rule, null, null, passed),
        };
    }
}
