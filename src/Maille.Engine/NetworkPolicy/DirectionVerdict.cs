using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What one side of a connection decided: the source's egress or the destination's ingress. <see cref="Applies"/>
/// is false for an external endpoint (it has no policy side); <see cref="IsolatedBy"/> lists every policy that
/// selects the pod for this direction; <see cref="AllowedBy"/> is the first rule (in policy name order) that matched.
/// ClusterNetworkPolicies come before and after NetworkPolicy: <see cref="DecidedBy"/> is the Admin-tier rule that
/// accepted or denied (then NetworkPolicy was not consulted) or the Baseline-tier one (only for a pod NetworkPolicy
/// does not isolate); <see cref="PassedBy"/> is the Pass rule that sent the connection on to the next tier.
/// </summary>
public sealed record DirectionVerdict(PolicyDirection Direction, bool Applies, ImmutableArray<string> IsolatedBy, RuleRef? AllowedBy)
{
    private static readonly DirectionVerdict IngressNotApplicable = new(PolicyDirection.Ingress, false, [], null);
    private static readonly DirectionVerdict EgressNotApplicable = new(PolicyDirection.Egress, false, [], null);
    private static readonly DirectionVerdict IngressNotIsolated = new(PolicyDirection.Ingress, true, [], null);
    private static readonly DirectionVerdict EgressNotIsolated = new(PolicyDirection.Egress, true, [], null);

    /// <summary>The side of an external endpoint: there is none.</summary>
    public static DirectionVerdict NotApplicable(PolicyDirection direction) =>
        direction == PolicyDirection.Ingress ? IngressNotApplicable : EgressNotApplicable;

    /// <summary>A pod no policy isolates in this direction.</summary>
    public static DirectionVerdict NotIsolated(PolicyDirection direction) =>
        direction == PolicyDirection.Ingress ? IngressNotIsolated : EgressNotIsolated;

    /// <summary>The ClusterNetworkPolicy rule (Admin or Baseline tier) that accepted or denied, if one did.</summary>
    public ClusterRuleRef? DecidedBy { get; init; }

    /// <summary>The Pass rule that skipped the rest of its tier, if one matched.</summary>
    public ClusterRuleRef? PassedBy { get; init; }

    public bool IsIsolated => Applies && !IsolatedBy.IsEmpty;

    public DecidingTier Tier => DecidedBy is { Tier: ClusterPolicyTier.Admin } ? DecidingTier.Admin
        : IsIsolated ? DecidingTier.NetworkPolicy
        : DecidedBy is not null ? DecidingTier.Baseline
        : DecidingTier.Default;

    public bool Allowed => Tier switch
    {
        DecidingTier.Admin or DecidingTier.Baseline => DecidedBy!.Action == ClusterPolicyAction.Accept,
        DecidingTier.NetworkPolicy => AllowedBy is not null,
        _ => true,
    };

    public bool Equals(DirectionVerdict? other) =>
        other is not null && Direction == other.Direction && Applies == other.Applies && IsolatedBy.SequenceEqual(other.IsolatedBy) && AllowedBy == other.AllowedBy
        && DecidedBy == other.DecidedBy && PassedBy == other.PassedBy;

    public override int GetHashCode() => HashCode.Combine(Direction, Applies, IsolatedBy.Length, AllowedBy, DecidedBy, PassedBy);

    public override string ToString()
    {
        var name = Direction == PolicyDirection.Ingress ? "ingress" : "egress";
        if (!Applies)
        {
            return $"{name}: external endpoint, no policy side";
        }

        var passed = PassedBy is { } pass ? $"passed by {pass}; " : "";
        if (Tier == DecidingTier.Admin)
        {
            return $"{name}: {Decision(DecidedBy!)}";
        }

        if (IsolatedBy.IsEmpty)
        {
            return DecidedBy is { } baseline ? $"{name}: {passed}not isolated; {Decision(baseline)}" : $"{name}: {passed}not isolated";
        }

        var isolated = $"{name}: {passed}isolated by {string.Join(", ", IsolatedBy)}";
        return AllowedBy is { } rule ? $"{isolated}; allowed by {rule}" : $"{isolated}; no rule allows it";
    }

    private static string Decision(ClusterRuleRef rule) =>
        $"{(rule.Action == ClusterPolicyAction.Accept ? "accepted" : "denied")} by {rule}";
}
