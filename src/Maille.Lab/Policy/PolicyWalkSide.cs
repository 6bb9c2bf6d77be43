using Maille.Dataplane.Nftables;
using Maille.Engine.NetworkPolicies;
using Maille.Model;

namespace Maille.Lab.Policy;

/// <summary>
/// One direction of a <see cref="PolicyWalk"/>: the local pod it belongs to, the chain the node's plan points it at
/// (null: not isolated) and the policies that isolate it; what the walk of the applied table did
/// (<see cref="Live"/>) and the rule where it happened (<see cref="DecidedAt"/>, <c>chain#position</c>); and what the
/// plan the table was rendered from decides (<see cref="PlanAllows"/>, and the policy rule that allows it).
/// </summary>
public sealed record PolicyWalkSide(
    PolicyDirection Direction,
    string Pod,
    string? Chain,
    EquatableArray<string> IsolatedBy,
    PolicyWalkOutcome Live,
    NftTraceStep? DecidedAt,
    CompiledRule? AllowedBy,
    bool PlanAllows)
{
    /// <summary>
    /// What the plan decided for this direction, with the ClusterNetworkPolicy rule that accepted or denied it
    /// (<see cref="ChainDecision.DecidedBy"/>) or passed it on; null for a side the plan does not isolate.
    /// </summary>
    public ChainDecision? Decision { get; init; }

    /// <summary>The ClusterNetworkPolicy rule that accepted or denied this direction in the plan, if one did.</summary>
    public CompiledClusterRule? DecidedBy => Decision?.DecidedBy;

    public string DirectionName => Direction == PolicyDirection.Ingress ? "ingress" : "egress";

    /// <summary>The walk and the plan say the same (a direction the walk never reached is not held against either).</summary>
    public bool Agrees => Live switch
    {
        PolicyWalkOutcome.NotIsolated => Chain is null,
        PolicyWalkOutcome.Allowed => PlanAllows,
        PolicyWalkOutcome.Denied => !PlanAllows,
        PolicyWalkOutcome.NotReached => true,
        _ => false,
    };

    /// <summary>
    /// One sentence: <c>ingress of x/a: allowed by x/allow-y ingress rule 0 port 0 at ingress-0a1b#1</c>,
    /// <c>… denied at ingress-0a1b#3: no rule of x/deny-all allows it</c>, <c>… not isolated</c>.
    /// </summary>
    /// <remarks>
    /// With ClusterNetworkPolicies: <c>… accepted by Admin tier priority 10 guard-z egress rule 0 "web" (Accept) port 0
    /// at admin-egress-0a1b#1</c>, <c>… denied by … (Deny) … at …</c>, <c>… passed by … (Pass) …; allowed by x/allow-y …</c>,
    /// and <c>… no ClusterNetworkPolicy rule decides: allowed by default at …</c>.
    /// </remarks>
    public override string ToString()
    {
        var head = $"{DirectionName} of {Pod}";
        var at = DecidedAt is { } step ? $"{step.Chain}#{step.Rule}" : null;
        if (Decision?.PassedBy is { } pass)
        {
            head = $"{head}: passed by {pass.Description};";
        }
        else if (Live is not PolicyWalkOutcome.NotIsolated)
        {
            head += ":";
        }

        return Live switch
        {
            PolicyWalkOutcome.NotIsolated => $"{head}: not isolated",
            PolicyWalkOutcome.Allowed or PolicyWalkOutcome.Denied when DecidedBy is { } cluster =>
                $"{head} {(Live == PolicyWalkOutcome.Allowed ? "accepted" : "denied")} by {cluster.Description} at {at}",
            PolicyWalkOutcome.Allowed when Decision is { ByDefault: true } => $"{head} no ClusterNetworkPolicy rule decides: allowed by default at {at}",
            PolicyWalkOutcome.Allowed when AllowedBy is { } rule => $"{head} allowed by {rule.Description} at {at}",
            PolicyWalkOutcome.Allowed => $"{head} allowed at {at}, which the plan does not explain (it allows no such connection)",
            PolicyWalkOutcome.Denied => $"{head} denied at {at}: no rule of {string.Join(", ", IsolatedBy)} allows it",
            PolicyWalkOutcome.NotReached => $"{head} not reached (the packet was already ended)",
            _ => $"{head} isolated by {string.Join(", ", IsolatedBy)} in the plan, but the walk never entered its chain {Chain}",
        };
    }
}
