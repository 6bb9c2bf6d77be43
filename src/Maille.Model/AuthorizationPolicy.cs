namespace Maille.Model;

/// <summary>
/// An Istio AuthorizationPolicy (<c>security.istio.io/v1</c>), namespaced. A null <see cref="Selector"/> selects every
/// workload of its namespace (of every namespace in the root namespace); rules are kept in the order written. A policy
/// without rules matches nothing: an ALLOW one then allows nothing, a DENY one denies nothing.
/// </summary>
public sealed record AuthorizationPolicy
{
    public required ObjectMeta Meta { get; init; }

    public AuthorizationAction Action { get; init; } = AuthorizationAction.Allow;

    /// <summary><c>spec.selector.matchLabels</c>; null when absent (or empty: Istio reads both as the whole namespace).</summary>
    public Labels? Selector { get; init; }

    /// <summary>
    /// <c>spec.targetRefs</c> (or the older single <c>targetRef</c>): the waypoint or Services the policy attaches to,
    /// instead of workloads. Empty for a policy that selects workloads (the node proxy enforces those).
    /// </summary>
    public EquatableArray<PolicyTargetRef> TargetRefs { get; init; } = EquatableArray<PolicyTargetRef>.Empty;

    /// <summary>A policy enforced by a waypoint (it names targets) rather than by the destination's node proxy.</summary>
    public bool AtWaypoint => !TargetRefs.IsEmpty;

    public EquatableArray<AuthorizationRule> Rules { get; init; } = EquatableArray<AuthorizationRule>.Empty;

    public string Name => Meta.Name;

    public string Namespace => Meta.Namespace!;

    public string QualifiedName => Meta.QualifiedName;
}
