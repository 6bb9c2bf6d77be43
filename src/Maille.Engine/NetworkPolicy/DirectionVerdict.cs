using System.Collections.Immutable;
using Maille.Model;

namespace Maille.Engine.NetworkPolicies;

/// <summary>
/// What one side of a connection decided: the source's egress or the destination's ingress. <see cref="Applies"/>
/// is false for an external endpoint (it has no policy side); <see cref="IsolatedBy"/> lists every policy that
/// selects the pod for this direction; <see cref="AllowedBy"/> is the first rule (in policy name order) that matched.
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

    public bool IsIsolated => Applies && !IsolatedBy.IsEmpty;

    public bool Allowed => !IsIsolated || AllowedBy is not null;

    public bool Equals(DirectionVerdict? other) =>
        other is not null && Direction == other.Direction && Applies == other.Applies && IsolatedBy.SequenceEqual(other.IsolatedBy) && AllowedBy == other.AllowedBy;

    public override int GetHashCode() => HashCode.Combine(Direction, Applies, IsolatedBy.Length, AllowedBy);

    public override string ToString()
    {
        var name = Direction == PolicyDirection.Ingress ? "ingress" : "egress";
        if (!Applies)
        {
            return $"{name}: external endpoint, no policy side";
        }

        if (IsolatedBy.IsEmpty)
        {
            return $"{name}: not isolated";
        }

        var isolated = $"{name}: isolated by {string.Join(", ", IsolatedBy)}";
        return AllowedBy is { } rule ? $"{isolated}; allowed by {rule}" : $"{isolated}; no rule allows it";
    }
}
