using System.Collections.Immutable;

namespace Maille.Engine.Mesh;

/// <summary>
/// A waypoint's authorization of one HTTP request: the policies attached to it or to the Service (<c>targetRefs</c>),
/// evaluated in Istio's order — a matching DENY rule denies (403), then with no ALLOW policy the request is allowed,
/// else one ALLOW rule must match (403 otherwise).
/// </summary>
public sealed record WaypointAuthorization
{
    public required MeshOutcome Outcome { get; init; }

    public bool Allowed => Outcome is MeshOutcome.NoAllowPolicy or MeshOutcome.AllowedByPolicy;

    /// <summary>The DENY rule that denied or the ALLOW rule that allowed.</summary>
    public MeshRuleRef? DecidedBy { get; init; }

    /// <summary>The ALLOW policies that applied, when none of their rules matched.</summary>
    public ImmutableArray<string> AllowPolicies { get; init; } = [];

    /// <summary>Every policy the waypoint applied to the request, DENY and ALLOW, in namespace/name order.</summary>
    public ImmutableArray<string> Policies { get; init; } = [];

    public override string ToString() => Outcome switch
    {
        MeshOutcome.DeniedByPolicy => $"denied by {DecidedBy}",
        MeshOutcome.AllowedByPolicy => $"allowed by {DecidedBy}",
        MeshOutcome.NoAllowRuleMatched => $"denied: ALLOW policies {string.Join(", ", AllowPolicies)} apply and none of their rules matches",
        _ => Policies.IsEmpty ? "no AuthorizationPolicy is attached to the waypoint or the Service: allowed" : "no DENY rule matches and no ALLOW policy applies: allowed",
    };
}
